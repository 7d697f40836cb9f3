package dev.onerec4j.engine.align;

import dev.onerec4j.engine.data.synthetic.SyntheticSettings;
import dev.onerec4j.engine.data.synthetic.SyntheticWorld;
import dev.onerec4j.engine.tokenizer.Progress;
import dev.onerec4j.engine.tokenizer.SemanticIds;
import dev.onerec4j.engine.train.RunTokenizer;
import dev.onerec4j.engine.model.OneRecModel;
import dev.onerec4j.engine.reward.RewardConfig;
import dev.onerec4j.tensors.Tensor;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ECPO on a tiny simulator world: a tiny OneRec model pre-trained on the logged histories is aligned with the
 * P-Score of a reward model trained on the logged feedback, and the simulator's true value of its top-10 lists
 * rises by at least 5% while Recall@10 on the held-out interactions drops by less than 10% (relative). Users,
 * samples and data order are seeded and the generation schedule is fixed (whatever the threads' timing); runs
 * can differ only in the last bits of floating-point sums (the JIT's vectorised and scalar paths round
 * differently).
 */
class EcpoAlignmentTest {

    private static AlignFixture fx;
    private static AlignmentReport before;

    @BeforeAll
    static void setUp() throws Exception {
        SyntheticSettings world = SyntheticSettings.defaults().withSize(600, 150, 12, 12, 24)
                .withProcess(0.8, 0.5, 0.05).withSeed(7);
        RewardConfig reward = new RewardConfig();
        reward.epochs = 5;
        // The items' semantic IDs come from the real tokenizer (content and co-occurrence): with IDs planted from
        // cluster and popularity rank, items of equal rank in different clusters share their last tokens, and
        // raising one item's probability raises its namesakes' too, which blunts item-level credit assignment.
        Path tokenizer = Files.createTempDirectory("ecpo-tokenizer").resolve("tokenizer");
        SemanticIds sids = RunTokenizer.build(SyntheticWorld.create(world).dataset(), tokenizer, 1, Progress.NONE)
                .semanticIds();
        fx = new AlignFixture(world, sids, AlignFixture.tinyConfig(2), reward);
        before = fx.measure(fx.pretrained);
    }

    static AlignConfig config() {
        AlignConfig c = new AlignConfig();
        c.steps = 40;
        c.lr = 1e-3;
        c.group = 16;
        c.rlUsers = 16;
        c.sftBatch = 128;
        c.sftWeight = 2;
        c.refreshEvery = 10;
        c.seed = 1;
        return c;
    }

    @Test
    void ecpoRaisesTheTrueValueOfTheTopTenAndKeepsRecall() throws Exception {
        AlignmentReport after = fx.measure(fx.align(config(), new PScoreReward(fx.scorer), null));
        double valueGain = after.value() / before.value() - 1;
        double recallChange = after.ranking().get("recall@10") / before.ranking().get("recall@10") - 1;
        System.out.printf("value@10 %.4f -> %.4f (%+.1f%%), Recall@10 %.4f -> %.4f (%+.1f%%)%n", before.value(),
                after.value(), 100 * valueGain, before.ranking().get("recall@10"), after.ranking().get("recall@10"),
                100 * recallChange);
        assertTrue(valueGain >= 0.05, "true value of the top-10 rose by " + 100 * valueGain + "%, expected >= 5%");
        assertTrue(recallChange > -0.10, "Recall@10 changed by " + 100 * recallChange + "%, expected a drop < 10%");
        assertTrue(after.meanPScore() > before.meanPScore(), "the policy moved towards the reward");
    }

    /**
     * The generator thread makes step s's rollout with the parameters the policy had at step {@code v(s)} (one
     * round behind, refreshed every 4 steps): the live policy is changed after every step, and each rollout is
     * compared with one made directly from a copy of the parameters of its version.
     */
    @Test
    void generatorSnapshotsLagTheTrainerByOneRound() {
        AlignConfig c = config();
        c.refreshEvery = 4;
        c.rlUsers = 3;
        c.group = 6;
        RolloutMaker maker = new RolloutMaker(c, fx.builder, fx.dataset.histories(), fx.split.train(),
                new PScoreReward(fx.scorer), fx.dataset.items(), -1);
        OneRecModel live = fx.copyOfPretrained();
        long[] expected = {0, 0, 0, 0, 0, 0, 0, 0, 4, 4, 4, 4};
        List<Map<String, float[]>> versions = new ArrayList<>();
        List<Rollout> rollouts = new ArrayList<>();
        SplittableRandom rng = new SplittableRandom(5);
        try (RolloutGenerator g = new RolloutGenerator(maker, fx::newModel, live, c.refreshEvery, expected.length)) {
            for (int step = 0; step < expected.length; step++) {
                versions.add(weights(live));
                Rollout r = g.take(step);
                assertEquals(step, r.step());
                assertEquals(expected[step], r.policyVersion(), "step " + step);
                rollouts.add(r);
                perturb(live, rng);
            }
        }
        int differentFromLive = 0;
        for (int step = 0; step < expected.length; step++) {
            Rollout direct = maker.make(step, withWeights(versions.get((int) expected[step])), expected[step]);
            Rollout got = rollouts.get(step);
            assertArrayEquals(direct.rl().items(), got.rl().items(), "step " + step);
            assertArrayEquals(direct.rl().oldLogProbs(), got.rl().oldLogProbs(), 1e-3, "step " + step);
            Rollout onPolicy = maker.make(step, withWeights(versions.get(step)), step);
            differentFromLive += Arrays.equals(onPolicy.rl().items(), got.rl().items()) ? 0 : 1;
        }
        assertTrue(differentFromLive >= 6, "the perturbations change the rollouts (" + differentFromLive
                + " of 12 steps differ from on-policy ones), so the check above can tell versions apart");
    }

    private static Map<String, float[]> weights(OneRecModel m) {
        Map<String, float[]> out = new HashMap<>();
        m.stateTensors().forEach((k, v) -> out.put(k, v.toFloatArray()));
        return out;
    }

    private static OneRecModel withWeights(Map<String, float[]> w) {
        OneRecModel m = fx.newModel();
        m.stateTensors().forEach((k, v) -> v.copyFrom(Tensor.of(w.get(k), v.shape()).to(v.dtype())));
        m.train(false);
        return m;
    }

    private static void perturb(OneRecModel m, SplittableRandom rng) {
        m.stateTensors().forEach((k, v) -> {
            float[] x = v.toFloatArray();
            for (int i = 0; i < x.length; i++) {
                x[i] *= (float) (1 + 0.5 * (rng.nextDouble() - 0.5));
            }
            v.copyFrom(Tensor.of(x, v.shape()).to(v.dtype()));
        });
    }
}
