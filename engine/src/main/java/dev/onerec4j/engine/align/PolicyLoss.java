package dev.onerec4j.engine.align;

import dev.onerec4j.tensors.Tensor;
import dev.onerec4j.tensors.ops.Arith;
import dev.onerec4j.tensors.ops.Reduce;

/**
 * The RL objective over generated items (report eq. 29-31 for ECPO; OneRec-V2 for GBPO), at item level: the ratio
 * of an item is {@code pi(o | u) / pi'_old(o | u)} with whole-item probabilities. Every variant can be written as
 * {@code J = sum_i weight_i * term_i} with {@code term_i = min(r_i A_i, clip(r_i) A_i)} (ECPO, PPO) or
 * {@code r_i A_i} (GBPO), where {@code r_i = exp(log pi_i - log pi'_old,i)} and {@code pi'_old} may depend on the
 * stop-gradient of {@code pi}. Which branch of the min is active is decided on the host from the current
 * values, so the loss is {@code -sum_i c_i exp(log pi_i - d_i)} with constants {@code d_i = log pi'_old,i} and
 * {@code c_i = weight_i A_i} where the ratio term is active and 0 where the clipped constant is: exactly the
 * gradient of the objective.
 */
public final class PolicyLoss {

    /**
     * Per-sample constants of the loss and the objective's value.
     *
     * @param logDenominator {@code log pi'_old} per sample
     * @param coefficient    {@code weight * A} where the ratio term carries the gradient, else 0
     * @param objective      the value of {@code J}
     * @param clipped        samples whose clipped constant was active (no gradient)
     * @param meanRatio      mean ratio {@code r} over samples
     */
    public record Terms(double[] logDenominator, double[] coefficient, double objective, int clipped, double meanRatio) {
    }

    private PolicyLoss() {
    }

    /**
     * @param logp     current log-probabilities (values of the tensor the loss differentiates)
     * @param logpOld  the generating (snapshot) policy's log-probabilities
     * @param adv      advantages
     * @param weight   each sample's weight in the objective (e.g. 1 / (groups * group size))
     * @param epsilon  PPO clipping range
     * @param delta    ECPO's early-clipping margin: negative samples' ratio stays at most {@code 1 + epsilon + delta}
     */
    public static Terms terms(ClipVariant variant, double[] logp, double[] logpOld, double[] adv, double[] weight,
                              double epsilon, double delta) {
        int n = logp.length;
        if (logpOld.length != n || adv.length != n || weight.length != n) {
            throw new IllegalArgumentException("policy loss: " + n + " log-probabilities, " + logpOld.length
                    + " old ones, " + adv.length + " advantages, " + weight.length + " weights");
        }
        double[] den = new double[n];
        double[] coef = new double[n];
        double objective = 0;
        double ratioSum = 0;
        int clipped = 0;
        for (int i = 0; i < n; i++) {
            double a = adv[i];
            den[i] = switch (variant) {
                case PPO -> logpOld[i];
                case ECPO -> a < 0 ? Math.max(logp[i] - Math.log1p(epsilon + delta), logpOld[i]) : logpOld[i];
                case GBPO -> a < 0 ? Math.max(logpOld[i], log1mExp(logp[i])) : Math.max(logpOld[i], logp[i]);
            };
            double r = Math.exp(logp[i] - den[i]);
            ratioSum += r;
            double term;
            boolean active;
            if (variant == ClipVariant.GBPO) {
                term = r * a;
                active = true;
            } else {
                double c = Math.min(Math.max(r, 1 - epsilon), 1 + epsilon);
                // min(r A, clip(r) A): the ratio term is active unless the clipped constant is strictly smaller.
                active = r * a <= c * a;
                term = active ? r * a : c * a;
            }
            if (!active) {
                clipped++;
            }
            coef[i] = active ? weight[i] * a : 0;
            objective += weight[i] * term;
        }
        return new Terms(den, coef, objective, clipped, n == 0 ? Double.NaN : ratioSum / n);
    }

    /**
     * The loss {@code -J} as a tensor differentiable in {@code logp} ({@code [n]}): its value is {@code -J} up to
     * the clipped constants, its gradient is {@code -sum_i c_i r_i grad log pi_i}.
     */
    public static Tensor loss(Tensor logp, Terms terms) {
        Tensor den = constant(logp, terms.logDenominator());
        Tensor coef = constant(logp, terms.coefficient());
        Tensor ratio = Arith.exp(Arith.sub(logp, den));
        return Arith.neg(Reduce.sum(Arith.mul(ratio, coef)));
    }

    private static Tensor constant(Tensor like, double[] values) {
        return Tensor.of(like.dtype(), values, values.length);
    }

    /** {@code log(1 - exp(x))} for {@code x <= 0}, accurate near 0 and for very negative x. */
    static double log1mExp(double x) {
        if (x >= 0) {
            return Double.NEGATIVE_INFINITY;
        }
        return x > -0.693 ? Math.log(-Math.expm1(x)) : Math.log1p(-Math.exp(x));
    }
}
