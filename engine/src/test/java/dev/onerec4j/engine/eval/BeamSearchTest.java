package dev.onerec4j.engine.eval;

import dev.onerec4j.engine.model.ModelFixtures;
import dev.onerec4j.engine.model.OneRecModel;
import dev.onerec4j.engine.model.SyntheticFixture;
import dev.onerec4j.engine.model.config.Architecture;
import dev.onerec4j.engine.sample.ContextBatch;
import dev.onerec4j.engine.tokenizer.SemanticIds;
import dev.onerec4j.tensors.DType;
import dev.onerec4j.tensors.GradMode;
import dev.onerec4j.tensors.MemoryScope;
import dev.onerec4j.tensors.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Beam search against exhaustive scoring: with as many beams as items, trie-constrained beam search returns the
 * items in exactly the order of their log-probabilities (the sum of teacher-forced token log-probabilities);
 * excluded items never appear; unconstrained search finds IDs the trie does not hold.
 */
class BeamSearchTest {

    private static final SyntheticFixture FX = SyntheticFixture.small(5);

    @Test
    void fullWidthBeamSearchEqualsExhaustiveRanking() {
        ModelFixtures.Built b = ModelFixtures.build(FX, ModelFixtures.config(Architecture.V2, 0), DType.F32, 3);
        OneRecModel model = b.model();
        SemanticIds sids = FX.sids;
        int items = FX.dataset.numItems();
        int requests = 2;
        try (var g = GradMode.disabled(); MemoryScope s = MemoryScope.open("test")) {
            int[] positions = new int[requests];
            ContextBatch batch = ModelFixtures.batch(FX, b.builder(), requests, positions);
            double[][] exhaustive = exhaustiveScores(model, batch, sids, items);
            int[][] excluded = {{0, 5, 7}, null};
            BeamSearch.Result r = new BeamSearch(items).search(model.startDecoding(batch), sids, excluded, true);
            for (int q = 0; q < requests; q++) {
                double[] sc = exhaustive[q];
                int[] ex = excluded[q];
                Integer[] order = IntStream.range(0, items).boxed()
                        .filter(i -> ex == null || Arrays.binarySearch(ex, i) < 0)
                        .sorted(Comparator.comparingDouble((Integer i) -> -sc[i])).toArray(Integer[]::new);
                assertEquals(order.length, r.items()[q].length, "request " + q + " returns every allowed item");
                for (int k = 0; k < 20; k++) {
                    assertEquals(sc[order[k]], r.scores()[q][k], 1e-3, "score of rank " + k);
                    assertEquals(sc[order[k]], sc[r.items()[q][k]], 1e-3, "item at rank " + k);
                }
                if (ex != null) {
                    for (int item : r.items()[q]) {
                        assertTrue(Arrays.binarySearch(ex, item) < 0, "excluded item " + item + " returned");
                    }
                }
            }
        }
    }

    /** log P(item) for every item = sum over levels of teacher-forced token log-probabilities. */
    private static double[][] exhaustiveScores(OneRecModel model, ContextBatch batch, SemanticIds sids, int items) {
        int levels = sids.levels();
        double[][] out = new double[batch.size][items];
        for (int item = 0; item < items; item++) {
            int[] target = new int[batch.size * levels];
            for (int i = 0; i < batch.size; i++) {
                for (int l = 0; l < levels; l++) {
                    target[i * levels + l] = sids.token(item, l);
                }
            }
            Tensor[] lp = model.logProbs(batch, target);
            for (int i = 0; i < batch.size; i++) {
                for (int l = 0; l < levels; l++) {
                    out[i][item] += lp[l].get(i, sids.token(item, l));
                }
            }
        }
        return out;
    }

    @Test
    void unconstrainedSearchCanLeaveTheCatalogue() {
        ModelFixtures.Built b = ModelFixtures.build(FX, ModelFixtures.config(Architecture.V1, 0), DType.F32, 4);
        try (var g = GradMode.disabled(); MemoryScope s = MemoryScope.open("test")) {
            int[] positions = new int[4];
            ContextBatch batch = ModelFixtures.batch(FX, b.builder(), 4, positions);
            int width = 60;
            BeamSearch.Result free = new BeamSearch(width).search(b.model().startDecoding(batch), FX.sids, null, false);
            BeamSearch.Result constrained = new BeamSearch(width).search(b.model().startDecoding(batch), FX.sids, null,
                    true);
            long illegal = Arrays.stream(free.items()).flatMapToInt(Arrays::stream).filter(i -> i < 0).count();
            // An untrained model spreads mass over all token combinations; the ID space (12 x 5 x 5) is larger
            // than the 240 items, so unconstrained beams must hit missing IDs.
            assertTrue(illegal > 0, "unconstrained search found only legal IDs");
            for (int[] list : constrained.items()) {
                assertEquals(width, list.length);
                assertFalse(Arrays.stream(list).anyMatch(i -> i < 0));
            }
            // The best unconstrained beam scores at least as high as the best constrained one.
            for (int q = 0; q < 4; q++) {
                assertTrue(free.scores()[q][0] >= constrained.scores()[q][0] - 1e-6);
            }
        }
    }

    @Test
    void topSelectionKeepsTheBestInOrder() {
        TopSelection top = new TopSelection(3);
        double[] scores = {0.5, 2, -1, 2, 3, 0};
        for (int i = 0; i < scores.length; i++) {
            top.offer(scores[i], i, -i);
        }
        assertEquals(3, top.size());
        assertArrayEquals(new int[] {4, 1, 3}, new int[] {top.first(0), top.first(1), top.first(2)});
    }
}
