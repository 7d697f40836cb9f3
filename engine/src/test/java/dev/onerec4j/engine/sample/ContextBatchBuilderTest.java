package dev.onerec4j.engine.sample;

import dev.onerec4j.engine.data.Histories;
import dev.onerec4j.engine.model.ModelFixtures;
import dev.onerec4j.engine.model.SyntheticFixture;
import dev.onerec4j.engine.model.config.Architecture;
import dev.onerec4j.engine.model.config.ModelConfig;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The model inputs of an example come only from interactions before its target: short-term and positive
 * pathways hold the most recent earlier interactions (right-aligned), the lifelong pathway's representatives
 * come from interactions older than the short-term window, and a target never appears in its own inputs unless
 * the user consumed it earlier.
 */
class ContextBatchBuilderTest {

    private static final SyntheticFixture FX = SyntheticFixture.small(21);

    @Test
    void inputsUseOnlyInteractionsBeforeTheTarget() {
        ModelConfig config = ModelFixtures.config(Architecture.V1, 0);
        FeatureSpace space = FeatureSpace.of(FX.dataset, FX.sids);
        ContextBatchBuilder builder = new ContextBatchBuilder(FX.dataset, space, config,
                ItemVectors.fromSemanticIds(FX.sids, 8, 1));
        Histories h = FX.dataset.histories();
        int n = 60;
        int[] users = new int[n];
        int[] positions = new int[n];
        for (int i = 0; i < n; i++) {
            users[i] = i;
            positions[i] = Math.min(h.length(i) - 1, 1 + i % h.length(i));
        }
        ContextBatch batch = builder.build(users, positions);
        int shortLen = config.pathways.shortTerm;
        for (int i = 0; i < n; i++) {
            int u = users[i];
            int p = positions[i];
            Set<Integer> before = new HashSet<>();
            for (int q = 0; q < p; q++) {
                before.add(h.item(h.row(u, q)));
            }
            // Short-term: exactly the last min(L, p) items, in order, right-aligned.
            SequenceBlock s = batch.shortTerm;
            int filled = Math.min(shortLen, p);
            assertEquals(filled, s.filled(i));
            for (int k = 0; k < filled; k++) {
                int at = s.at(i, shortLen - filled + k);
                assertEquals(h.item(h.row(u, p - filled + k)), s.items[at], "user " + u + " short-term slot " + k);
                assertEquals(1, s.mask[at]);
            }
            for (int k = 0; k < shortLen - filled; k++) {
                assertEquals(-1, s.items[s.at(i, k)]);
                assertEquals(0, s.mask[s.at(i, k)]);
            }
            // Positive: positive interactions before p, the most recent last.
            SequenceBlock pos = batch.positive;
            int expectedPositive = 0;
            for (int q = p - 1; q >= 0 && expectedPositive < pos.length; q--) {
                if (h.isPositive(h.row(u, q))) {
                    int at = pos.at(i, pos.length - 1 - expectedPositive);
                    assertEquals(h.item(h.row(u, q)), pos.items[at]);
                    expectedPositive++;
                }
            }
            assertEquals(expectedPositive, pos.filled(i));
            // Lifelong: representatives of interactions older than the short-term window.
            Set<Integer> older = new HashSet<>();
            for (int q = 0; q < Math.max(0, p - shortLen); q++) {
                older.add(h.item(h.row(u, q)));
            }
            SequenceBlock life = batch.lifelong;
            for (int k = 0; k < life.length; k++) {
                int at = life.at(i, k);
                if (life.mask[at] == 1) {
                    assertTrue(older.contains(life.items[at]), "lifelong representative from outside the older history");
                }
            }
            for (SequenceBlock b : new SequenceBlock[] {s, pos, life}) {
                for (int k = 0; k < b.length; k++) {
                    int item = b.items[b.at(i, k)];
                    assertTrue(item < 0 || before.contains(item), "input item " + item + " is not from before the target");
                }
            }
        }
    }

    @Test
    void lifelongCompressionRespectsTheThreshold() {
        ModelConfig config = ModelFixtures.config(Architecture.V2, 0);
        config.pathways.lifelong.maxRepresentatives = 100;
        InteractionFeatures features = new InteractionFeatures(FX.dataset);
        LifelongCompressor c = new LifelongCompressor(FX.dataset.histories(), features,
                ItemVectors.fromSemanticIds(FX.sids, 8, 1), config.pathways.lifelong);
        Histories h = FX.dataset.histories();
        for (int u = 0; u < 40; u++) {
            int len = h.length(u);
            LifelongCompressor.Compressed comp = c.compress(u, 0, len);
            int threshold = config.pathways.lifelong.clusterThreshold;
            assertTrue(comp.size() >= (len + threshold - 1) / threshold, "at most " + threshold + " items per cluster");
            assertTrue(comp.size() <= len);
            Set<Integer> items = new HashSet<>();
            for (int p = 0; p < len; p++) {
                items.add(h.item(h.row(u, p)));
            }
            for (int k = 0; k < comp.size(); k++) {
                assertTrue(items.contains(comp.items()[k]), "a representative is one of the cluster's items");
                if (k > 0) {
                    assertTrue(comp.meanTimes()[k] >= comp.meanTimes()[k - 1], "oldest cluster first");
                }
            }
        }
    }
}
