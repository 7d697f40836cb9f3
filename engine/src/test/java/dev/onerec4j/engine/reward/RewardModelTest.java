package dev.onerec4j.engine.reward;

import dev.onerec4j.engine.UserException;
import dev.onerec4j.engine.data.Dataset;
import dev.onerec4j.engine.data.DatasetBuilder;
import dev.onerec4j.engine.data.PositiveRule;
import dev.onerec4j.engine.data.synthetic.Engagement;
import dev.onerec4j.engine.data.synthetic.SyntheticSettings;
import dev.onerec4j.engine.data.synthetic.SyntheticWorld;
import dev.onerec4j.tensors.DType;
import dev.onerec4j.tensors.MemoryScope;
import dev.onerec4j.tensors.nn.Init;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The P-Score model learns the simulator's planted engagement: every tower's held-out AUC recovers at least 35% of
 * the lift over chance that the true engagement probabilities achieve on the same (noisy, Bernoulli) labels, and
 * the P-Score's top-10 of a user's items has a clearly higher true value than the average item.
 */
class RewardModelTest {

    private static SyntheticWorld world;
    private static Dataset dataset;
    private static List<Objective> objectives;
    private static RewardFeatures features;
    private static RewardConfig config;
    private static PScoreModel model;
    private static RewardReport report;

    @BeforeAll
    static void train() {
        world = SyntheticWorld.create(SyntheticSettings.defaults().withSize(600, 150, 8, 12, 24)
                .withProcess(0.8, 0.5, 0.05).withSeed(7));
        dataset = world.dataset();
        objectives = Objectives.derive(dataset);
        config = new RewardConfig();
        config.epochs = 5;
        features = new RewardFeatures(dataset, config.history, config.contentTokens);
        model = new PScoreModel(new Init(MemoryScope.owned("reward-test"), DType.F32, config.seed), config, features,
                objectives);
        report = new RewardTrainer(model, features, config).train(dataset.name(), RewardRows.split(dataset, objectives),
                false);
    }

    @Test
    void derivesOneObjectivePerRecordedFeedbackType() {
        assertEquals(List.of("click", "like", "follow", "comment", "forward", "half_play"),
                objectives.stream().map(Objective::name).toList());
    }

    @Test
    void towersRecoverAPartOfTheOracleAucOnHeldOutInteractions() {
        RewardRows held = RewardRows.split(dataset, objectives).heldOut();
        int n = held.size();
        for (int k = 0; k < objectives.size(); k++) {
            double[] oracle = new double[n];
            float[] labels = new float[n];
            for (int i = 0; i < n; i++) {
                Engagement e = world.engagement(held.user(i), held.item(i));
                oracle[i] = switch (objectives.get(k).name()) {
                    case "click" -> e.click();
                    case "like" -> e.like();
                    case "follow" -> e.follow();
                    case "comment" -> e.comment();
                    case "forward" -> e.forward();
                    default -> e.playFraction();
                };
                labels[i] = held.label(i, k);
            }
            double ceiling = Auc.of(oracle, labels);
            double auc = report.towerAuc().get(objectives.get(k).name());
            System.out.printf("tower %-9s AUC %.4f (true probabilities %.4f)%n", objectives.get(k).name(), auc, ceiling);
            assertTrue(auc - 0.5 >= 0.35 * (ceiling - 0.5), objectives.get(k).name() + ": AUC " + auc
                    + " recovers less than 35% of the oracle's lift over chance (" + ceiling + ")");
        }
        assertTrue(report.pscoreAuc() > 0.55, "P-Score AUC " + report.pscoreAuc());
    }

    @Test
    void pScoreRanksAUsersItemsByTrueValue() {
        PScorer scorer = new PScorer(model, features);
        SplittableRandom rng = new SplittableRandom(1);
        int[] all = java.util.stream.IntStream.range(0, dataset.numItems()).toArray();
        double topValue = 0;
        double meanValue = 0;
        int users = 60;
        for (int t = 0; t < users; t++) {
            int u = rng.nextInt(dataset.numUsers());
            int[] top = new PScoreSelector(scorer).select(u, dataset.histories().length(u), all, 10);
            for (int item : top) {
                topValue += world.trueValue(u, item) / 10;
            }
            for (int item : all) {
                meanValue += world.trueValue(u, item) / all.length;
            }
        }
        System.out.printf("true value: P-Score top-10 %.4f, all items %.4f%n", topValue / users, meanValue / users);
        assertTrue(topValue > 1.15 * meanValue, "P-Score top-10 value " + topValue / users + " vs mean "
                + meanValue / users);
    }

    @Test
    void savedModelScoresExactlyAsTrained(@TempDir Path dir) {
        TrainedReward.save(dir, dataset, model, features, config, report);
        int[] items = {0, 5, 17, 99};
        double[] before = new PScorer(model, features).score(3, 4, items);
        try (TrainedReward back = TrainedReward.open(dir, dataset)) {
            assertArrayEquals(before, back.scorer().score(3, 4, items), 0);
            assertEquals(report.towerAuc(), back.info().report().towerAuc());
        }
    }

    @Test
    void implicitOnlyDataIsRefusedWithAClearMessage() {
        DatasetBuilder b = new DatasetBuilder("implicit");
        for (int u = 0; u < 3; u++) {
            int user = b.user("u" + u);
            for (int i = 0; i < 4; i++) {
                b.addInteraction(user, b.item("i" + i), 10L * i);
            }
        }
        Dataset implicit = b.build(PositiveRule.all(), DatasetBuilder.Ordering.AS_ADDED);
        UserException e = assertThrows(UserException.class, () -> Objectives.derive(implicit));
        assertTrue(e.getMessage().contains("no feedback signal"), e.getMessage());
    }
}
