package dev.onerec4j.engine.model;

import dev.onerec4j.engine.model.config.Architecture;
import dev.onerec4j.engine.sample.ContextBatch;
import dev.onerec4j.tensors.DType;
import dev.onerec4j.tensors.GradMode;
import dev.onerec4j.tensors.MemoryScope;
import dev.onerec4j.tensors.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Incremental decoding (context encoded once, keys/values shared by the beams of a request, KV cache for the
 * decoder's self-attention, beams reordered between steps) gives the same log-probabilities as the teacher-forced
 * forward pass of the same sequences.
 */
class DecodingSessionTest {

    private static final SyntheticFixture FX = SyntheticFixture.small(3);

    @ParameterizedTest
    @CsvSource({"V1, 0", "V2, 0", "V1, 4", "V2, 4"})
    void incrementalStepsMatchTeacherForcing(Architecture arch, int experts) {
        ModelFixtures.Built b = ModelFixtures.build(FX, ModelFixtures.config(arch, experts), DType.F32, 11);
        int requests = 3;
        int beams = 4;
        int levels = FX.sids.levels();
        int[] positions = new int[requests];
        SplittableRandom r = new SplittableRandom(5);
        try (var g = GradMode.disabled(); MemoryScope s = MemoryScope.open("test")) {
            ContextBatch batch = ModelFixtures.batch(FX, b.builder(), requests, positions);
            // Each beam follows a random item's SID.
            int[][] beamItems = new int[requests][beams];
            for (int q = 0; q < requests; q++) {
                for (int j = 0; j < beams; j++) {
                    beamItems[q][j] = r.nextInt(FX.dataset.numItems());
                }
            }
            DecodingSession session = b.model().startDecoding(batch);
            int[] previous = null;
            for (int level = 0; level < levels; level++) {
                int width = level == 0 ? 1 : beams;
                float[] got = session.logProbs(previous).toFloatArray();
                int vocab = FX.sids.codebookSize(level);
                assertEquals(requests * width * vocab, got.length);
                for (int q = 0; q < requests; q++) {
                    for (int j = 0; j < width; j++) {
                        float[] want = teacherForced(b.model(), FX, batch, q, beamItems[q][j], level);
                        for (int t = 0; t < vocab; t++) {
                            assertEquals(want[t], got[(q * width + j) * vocab + t], 2e-4,
                                    arch + " level " + level + " request " + q + " beam " + j + " token " + t);
                        }
                    }
                }
                // Beam j of each request continues from parent (j at level > 0, the single beam at level 0).
                int[] parents = new int[requests * beams];
                previous = new int[requests * beams];
                for (int q = 0; q < requests; q++) {
                    for (int j = 0; j < beams; j++) {
                        parents[q * beams + j] = level == 0 ? q : q * beams + j;
                        previous[q * beams + j] = FX.sids.token(beamItems[q][j], level);
                    }
                }
                if (level < levels - 1) {
                    session.select(parents);
                }
            }
        }
    }

    /** Level {@code level}'s log-probabilities for request {@code q} teacher-forced on {@code item}'s SID. */
    private static float[] teacherForced(OneRecModel model, SyntheticFixture fx, ContextBatch batch, int q, int item,
                                         int level) {
        int levels = fx.sids.levels();
        int[] sids = new int[batch.size * levels];
        for (int i = 0; i < batch.size; i++) {
            for (int l = 0; l < levels; l++) {
                sids[i * levels + l] = fx.sids.token(item, l);
            }
        }
        Tensor lp = model.logProbs(batch, sids)[level];
        return lp.select(0, q).toFloatArray();
    }

    @ParameterizedTest
    @CsvSource({"V2, 0"})
    void rejectsBeamsThatCrossRequests(Architecture arch, int experts) {
        ModelFixtures.Built b = ModelFixtures.build(FX, ModelFixtures.config(arch, experts), DType.F32, 11);
        try (var g = GradMode.disabled(); MemoryScope s = MemoryScope.open("test")) {
            int[] positions = new int[2];
            DecodingSession session = b.model().startDecoding(ModelFixtures.batch(FX, b.builder(), 2, positions));
            session.logProbs(null);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> session.select(new int[] {1, 0}));
            org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("another request"), e.getMessage());
            assertThrows(IllegalStateException.class, () -> session.logProbs(new int[] {0, 0}));
        }
    }
}
