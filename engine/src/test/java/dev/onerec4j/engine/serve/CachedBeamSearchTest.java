package dev.onerec4j.engine.serve;

import dev.onerec4j.engine.model.ModelFactory;
import dev.onerec4j.engine.model.OneRecModel;
import dev.onerec4j.engine.model.config.Architecture;
import dev.onerec4j.engine.model.config.RunConfig;
import dev.onerec4j.engine.sample.ContextBatch;
import dev.onerec4j.engine.sample.ContextBatchBuilder;
import dev.onerec4j.engine.sample.FeatureSpace;
import dev.onerec4j.engine.sample.ItemVectors;
import dev.onerec4j.engine.serve.beam.BeamResults;
import dev.onerec4j.engine.serve.beam.ItemFilter;
import dev.onerec4j.engine.serve.beam.SessionDecoder;
import dev.onerec4j.engine.serve.beam.StepDecoder;
import dev.onerec4j.engine.serve.decode.DecoderWeights;
import dev.onerec4j.engine.serve.decode.FastDecoder;
import dev.onerec4j.engine.serve.beam.TrieBeamSearch;
import dev.onerec4j.tensors.GradMode;
import dev.onerec4j.tensors.MemoryScope;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Beam search with the KV cache and shared context keys/values finds the same items with the same scores as beam
 * search that recomputes the whole decoder over every beam's prefix at every step: the model's own incremental
 * decoding (V1 and V2, dense and MoE) and the serving fast path (dense V1 and V2, tied and untied heads), several
 * requests decoded together, with exclusions.
 */
class CachedBeamSearchTest {

    private static final ServingFixture FX = new ServingFixture(11);

    @ParameterizedTest
    @CsvSource({"V1, 0, 8, false, false, 16", "V2, 0, 8, false, false, 16", "V1, 4, 5, false, false, 16",
            "V2, 4, 16, false, false, 16", "V1, 0, 8, false, true, 16", "V2, 0, 16, false, true, 16",
            "V1, 0, 5, true, true, 16", "V2, 0, 30, true, true, 16", "V1, 0, 20, false, true, 72",
            "V2, 0, 9, true, true, 72"})
    void cachedEqualsUncached(Architecture arch, int experts, int beam, boolean tied, boolean fast, int dim) {
        RunConfig c = ServingFixture.config(arch, experts);
        c.model.tiedHeads = tied;
        // 72 = 4 heads of 18: head widths and model widths that are not multiples of the vector length.
        c.model.dim = dim;
        c.model.ffnHidden = dim + 8;
        FeatureSpace space = FeatureSpace.of(FX.dataset, FX.sids);
        try (var g = GradMode.disabled(); MemoryScope scope = MemoryScope.open("test")) {
            OneRecModel model = ModelFactory.create(c.model, space, FX.sids, MemoryScope.owned("model"), 5);
            model.train(false);
            ContextBatchBuilder builder = new ContextBatchBuilder(FX.dataset, space, c.model,
                    ItemVectors.fromSemanticIds(FX.sids, 8, 3));
            int[] users = {0, 1, 2};
            int[] positions = new int[users.length];
            for (int i = 0; i < users.length; i++) {
                positions[i] = FX.dataset.histories().length(users[i]) - 1;
            }
            ContextBatch batch = builder.build(users, positions);
            ItemFilter[] exclude = {ItemFilter.of(0, 3, 7, 20), null, ItemFilter.of(5)};
            StepDecoder decoder = fast
                    ? new FastDecoder(DecoderWeights.of(model), model.encodeContext(batch), FastDecoder.newScratch())
                    : new SessionDecoder(model.startDecoding(batch), space.codebookSizes());
            BeamResults cached = new TrieBeamSearch().search(decoder, FX.sids.trie(), beam, exclude);
            BeamResults uncached = new TrieBeamSearch().search(new UncachedDecoder(model, batch), FX.sids.trie(), beam,
                    exclude);
            for (int r = 0; r < users.length; r++) {
                assertEquals(beam, cached.count(r), "request " + r + " fills its beam");
                assertArrayEquals(uncached.items(r), cached.items(r), "request " + r + ": same items, same order");
                double[] a = cached.scores(r);
                double[] b = uncached.scores(r);
                for (int i = 0; i < a.length; i++) {
                    assertEquals(b[i], a[i], 1e-5, "request " + r + " rank " + i);
                    assertTrue(a[i] <= 0 && (i == 0 || a[i] <= a[i - 1]), "log-probabilities, best first");
                    assertArrayEquals(FX.sids.sid(cached.item(r, i)), cached.sid(r, i), "the returned ID is the item's");
                    if (exclude[r] != null) {
                        assertTrue(!exclude[r].contains(cached.item(r, i)), "excluded item returned");
                    }
                }
            }
        }
    }
}
