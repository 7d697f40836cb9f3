package dev.onerec4j.engine.serve;

import dev.onerec4j.engine.UserException;
import dev.onerec4j.engine.data.synthetic.SyntheticSettings;
import dev.onerec4j.engine.data.synthetic.SyntheticWorld;
import dev.onerec4j.engine.model.config.Architecture;
import dev.onerec4j.engine.reward.PScorer;
import dev.onerec4j.engine.reward.TrainedReward;
import dev.onerec4j.engine.serve.model.RequestContexts;
import dev.onerec4j.engine.serve.model.RequestResolver;
import dev.onerec4j.engine.serve.model.ResolvedRequest;
import dev.onerec4j.engine.serve.model.RewardScorer;
import dev.onerec4j.engine.serve.model.ServingCatalog;
import dev.onerec4j.engine.train.RunCatalog;
import dev.onerec4j.engine.train.RunTokenizer;
import dev.onerec4j.tensors.MemoryScope;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reward-model selection at serving time: a served request scores exactly as the data set's user it was built
 * from; a recommender with selection returns the top k by P-Score of its beam's candidates (and so differs from
 * the most probable k); a reward folder for another catalogue, a missing one or a damaged one is refused with a
 * one-line message.
 */
class RewardSelectionTest {

    private static final ServingFixture FX = new ServingFixture(5);
    private static final int BEAM = 12;

    @TempDir
    static Path dir;
    private static Path run;
    private static Path rewardDir;
    private static MemoryScope scope;
    private static PScorer trained;

    @BeforeAll
    static void setUp() throws IOException {
        run = FX.writeRun(dir.resolve("run"), ServingFixture.config(Architecture.V1, 0), 11);
        scope = MemoryScope.owned("reward selection test");
        rewardDir = dir.resolve("reward");
        trained = ServingFixture.writeReward(FX.dataset, rewardDir, 2, scope);
    }

    @AfterAll
    static void tearDown() {
        scope.close();
    }

    private static RecommendRequest request(int user, int length, int k) {
        return new RecommendRequest(null, FX.userFeatures(user), FX.history(user, length), k, BEAM, List.of(), false);
    }

    private static int length(int user, int i) {
        int len = FX.dataset.histories().length(user);
        return i % 3 == 0 ? len : 1 + (i * 5) % len;
    }

    @Test
    void servedRequestScoresAsTheDataSetUserItWasBuiltFrom() {
        ServingCatalog catalog = ServingCatalog.of(RunCatalog.of(FX.dataset, false),
                RunTokenizer.of(FX.sids).itemVectors());
        RequestResolver resolver = new RequestResolver(RecommenderOptions.defaults(), BEAM);
        List<ResolvedRequest> requests = new ArrayList<>();
        List<int[]> rows = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            int u = 7 + 9 * i;
            int p = length(u, i);
            requests.add(resolver.resolve(request(u, p, 5), catalog, catalog.itemCount()));
            rows.add(new int[] {u, p});
        }
        RequestBatch batch = new RequestBatch(null, requests, RequestContexts.histories(requests, catalog));
        int[] items = {0, 3, 17, 42, 55, FX.dataset.items().size() - 1};
        try (RewardScorer served = RewardScorer.open(rewardDir, catalog, FX.dataset.items().size())) {
            for (int r = 0; r < requests.size(); r++) {
                double[] want = trained.score(rows.get(r)[0], rows.get(r)[1], items);
                double[] got = served.score(batch, r, items);
                for (int j = 0; j < items.length; j++) {
                    assertEquals(want[j], got[j], 1e-6, "user " + rows.get(r)[0] + " at " + rows.get(r)[1]
                            + ", item " + items[j]);
                }
            }
        }
    }

    @Test
    void recommenderReturnsTheTopKByPScoreOfTheBeam() {
        int k = 3;
        int differs = 0;
        try (Recommender plain = Recommender.open(run, RecommenderOptions.defaults().withWorkers(1));
             Recommender selecting = Recommender.open(run, RecommenderOptions.defaults().withWorkers(1)
                     .withRewardSelection(rewardDir, BEAM))) {
            for (int i = 0; i < 20; i++) {
                int u = 3 + 5 * i;
                int p = length(u, i);
                // The whole beam, most probable first: the candidates the selector ranks.
                List<RecommendedItem> beam = plain.recommend(request(u, p, BEAM)).items();
                int[] items = beam.stream().mapToInt(it -> FX.dataset.items().indexOf(it.id())).toArray();
                double[] scores = trained.score(u, p, items);
                Integer[] order = new Integer[items.length];
                Arrays.setAll(order, j -> j);
                Arrays.sort(order, Comparator.comparingDouble((Integer j) -> scores[j]).reversed());
                List<RecommendedItem> chosen = selecting.recommend(request(u, p, k)).items();
                assertEquals(k, chosen.size());
                for (int j = 0; j < k; j++) {
                    assertEquals(beam.get(order[j]).id(), chosen.get(j).id(), "request " + i + ", rank " + j);
                    assertEquals(scores[order[j]], chosen.get(j).score(), 1e-6, "P-Score reported");
                }
                List<String> mostProbable = beam.subList(0, k).stream().map(RecommendedItem::id).toList();
                differs += mostProbable.equals(chosen.stream().map(RecommendedItem::id).toList()) ? 0 : 1;
            }
        }
        assertTrue(differs > 0, "reward selection never changed the list");
    }

    @Test
    void selectCountSetsTheDefaultBeamWidth() {
        try (Recommender selecting = Recommender.open(run, RecommenderOptions.defaults().withWorkers(1)
                .withRewardSelection(rewardDir, 20))) {
            Recommendation r = selecting.recommend(request(4, 10, 2).withBeamWidth(0));
            assertEquals(20, r.beamWidth());
            assertEquals(2, r.items().size());
        }
    }

    @Test
    void rewardModelOfAnotherCatalogueIsRefusedInOneLine() {
        // Fewer items (their ids a prefix of the run's) and otherwise the same kind of world.
        SyntheticWorld other = SyntheticWorld.create(SyntheticSettings.defaults().withSize(60, 70, 6, 10, 20)
                .withSeed(9));
        Path otherDir = dir.resolve("other-reward");
        try (MemoryScope s = MemoryScope.owned("other reward")) {
            ServingFixture.writeReward(other.dataset(), otherDir, 0.05, s);
        }
        UserException e = assertThrows(UserException.class, () -> Recommender.open(run,
                RecommenderOptions.defaults().withRewardSelection(otherDir, BEAM)));
        oneLine(e);
        assertTrue(e.getMessage().contains("not on the served run's catalogue of " + FX.dataset.items().size()),
                e.getMessage());
    }

    @Test
    void missingOrDamagedRewardFolderIsRefusedInOneLine() throws IOException {
        UserException missing = assertThrows(UserException.class, () -> Recommender.open(run,
                RecommenderOptions.defaults().withRewardSelection(dir.resolve("nowhere"), BEAM)));
        oneLine(missing);
        assertTrue(missing.getMessage().contains("is not a reward model folder"), missing.getMessage());

        Path damaged = dir.resolve("damaged");
        Files.createDirectories(damaged);
        for (String f : List.of(TrainedReward.INFO, TrainedReward.WEIGHTS, TrainedReward.ITEMS)) {
            Files.copy(rewardDir.resolve(f), damaged.resolve(f));
        }
        byte[] tokens = Files.readAllBytes(damaged.resolve(TrainedReward.ITEMS));
        Files.write(damaged.resolve(TrainedReward.ITEMS), Arrays.copyOf(tokens, tokens.length - 8));
        UserException truncated = assertThrows(UserException.class, () -> Recommender.open(run,
                RecommenderOptions.defaults().withRewardSelection(damaged, BEAM)));
        oneLine(truncated);
        assertTrue(truncated.getMessage().contains("reward item tokens"), truncated.getMessage());

        Files.writeString(damaged.resolve(TrainedReward.INFO), "{ not json");
        UserException json = assertThrows(UserException.class, () -> Recommender.open(run,
                RecommenderOptions.defaults().withRewardSelection(damaged, BEAM)));
        oneLine(json);
        assertTrue(json.getMessage().contains("cannot be read"), json.getMessage());
    }

    private static void oneLine(UserException e) {
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }
}
