package dev.onerec4j.engine.align;

import dev.onerec4j.tensors.DType;
import dev.onerec4j.tensors.Tensor;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PolicyLossTest {

    private static final double EPS = 0.2;
    private static final double DELTA = 0.1;

    @Test
    void positiveAdvantagesAreClippedAlikeByPpoAndEcpo() {
        double[] logp = {Math.log(0.5), Math.log(0.5), Math.log(0.1)};
        double[] old = {Math.log(0.5), Math.log(0.2), Math.log(0.1)};
        double[] adv = {1.0, 2.0, 0.5};
        double[] w = {1, 1, 1};
        PolicyLoss.Terms ppo = PolicyLoss.terms(ClipVariant.PPO, logp, old, adv, w, EPS, DELTA);
        PolicyLoss.Terms ecpo = PolicyLoss.terms(ClipVariant.ECPO, logp, old, adv, w, EPS, DELTA);
        assertEquals(ppo.objective(), ecpo.objective(), 1e-12);
        // Sample 1 has ratio 2.5 > 1 + eps with a positive advantage: clipped, no gradient.
        assertEquals(0, ecpo.coefficient()[1]);
        assertEquals(1, ecpo.clipped());
        // Objective: 1 * 1 + 2 * 1.2 + 0.5 * 1.
        assertEquals(1 + 2 * 1.2 + 0.5, ecpo.objective(), 1e-12);
    }

    @Test
    void earlyClippingBoundsTheRatioOfNegativeSamplesButKeepsTheirGradient() {
        // The policy made a bad item 20x more likely than the generating snapshot did.
        double[] logp = {Math.log(0.4)};
        double[] old = {Math.log(0.02)};
        double[] adv = {-1.5};
        double[] w = {1};
        PolicyLoss.Terms ppo = PolicyLoss.terms(ClipVariant.PPO, logp, old, adv, w, EPS, DELTA);
        PolicyLoss.Terms ecpo = PolicyLoss.terms(ClipVariant.ECPO, logp, old, adv, w, EPS, DELTA);
        assertEquals(20.0, ppo.meanRatio(), 1e-9, "plain PPO: the ratio is unbounded for negative advantages");
        assertEquals(1 + EPS + DELTA, ecpo.meanRatio(), 1e-9, "ECPO caps it at 1 + epsilon + delta");
        assertEquals(0, ecpo.clipped(), "the capped sample still carries a gradient");
        // The gradient of the loss in log pi is -c r: PPO's is 20 x 1.5, ECPO's (1 + eps + delta) x 1.5.
        assertEquals(1.5 * (1 + EPS + DELTA), gradient(ecpo, logp)[0], 1e-6);
        assertEquals(1.5 * 20, gradient(ppo, logp)[0], 1e-4);
    }

    @Test
    void earlyClippingLeavesNegativeSamplesNearTheSnapshotAlone() {
        double[] logp = {Math.log(0.11)};
        double[] old = {Math.log(0.10)};
        double[] adv = {-1};
        PolicyLoss.Terms ppo = PolicyLoss.terms(ClipVariant.PPO, logp, old, adv, new double[] {1}, EPS, DELTA);
        PolicyLoss.Terms ecpo = PolicyLoss.terms(ClipVariant.ECPO, logp, old, adv, new double[] {1}, EPS, DELTA);
        assertEquals(ppo.logDenominator()[0], ecpo.logDenominator()[0], 0);
        assertEquals(ppo.objective(), ecpo.objective(), 1e-12);
    }

    @Test
    void gradientBoundedVariantNeverExceedsLikelihoodOrBceGradients() {
        SplittableRandom rng = new SplittableRandom(3);
        int n = 200;
        double[] logp = new double[n];
        double[] old = new double[n];
        double[] adv = new double[n];
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            logp[i] = Math.log(0.001 + 0.998 * rng.nextDouble());
            old[i] = Math.log(0.001 + 0.998 * rng.nextDouble());
            adv[i] = rng.nextDouble() * 4 - 2;
            w[i] = 1;
        }
        PolicyLoss.Terms t = PolicyLoss.terms(ClipVariant.GBPO, logp, old, adv, w, EPS, DELTA);
        double[] g = gradient(t, logp);
        assertEquals(0, t.clipped(), "GBPO clips nothing");
        for (int i = 0; i < n; i++) {
            double p = Math.exp(logp[i]);
            // -g is the objective's gradient in log pi: |A| at most for positives (log-likelihood),
            // |A| p / (1 - p) at most for negatives (the gradient of -log(1 - p)).
            double bound = adv[i] >= 0 ? adv[i] : -adv[i] * p / (1 - p);
            assertTrue(Math.abs(g[i]) <= bound * (1 + 1e-5) + 1e-9, "sample " + i + ": |grad| " + Math.abs(g[i])
                    + " > " + bound);
            assertEquals(Math.signum(adv[i]), -Math.signum(g[i]), "the step raises positives and lowers negatives");
        }
    }

    @Test
    void lossValueIsMinusTheObjectiveWhenNothingIsClipped() {
        double[] logp = {Math.log(0.3), Math.log(0.2)};
        double[] old = {Math.log(0.3), Math.log(0.21)};
        double[] adv = {1, -1};
        double[] w = {0.5, 0.5};
        PolicyLoss.Terms t = PolicyLoss.terms(ClipVariant.ECPO, logp, old, adv, w, EPS, DELTA);
        Tensor lp = Tensor.of(DType.F64, logp, 2);
        assertEquals(-t.objective(), PolicyLoss.loss(lp, t).item(), 1e-12);
    }

    @Test
    void mismatchedLengthsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> PolicyLoss.terms(ClipVariant.ECPO, new double[2],
                new double[1], new double[2], new double[2], EPS, DELTA));
    }

    /** The gradient of {@link PolicyLoss#loss} with respect to the log-probabilities. */
    private static double[] gradient(PolicyLoss.Terms terms, double[] logp) {
        Tensor lp = Tensor.of(DType.F64, logp.clone(), logp.length).requiresGrad(true);
        PolicyLoss.loss(lp, terms).backward();
        return lp.grad().toDoubleArray();
    }
}
