package dev.onerec4j.engine.tokenizer.quant;

import dev.onerec4j.engine.tokenizer.Progress;
import dev.onerec4j.tensors.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RqVaeTest {

    private static double relativeError(float[] x, float[] rec) {
        double err = 0;
        double energy = 0;
        for (int i = 0; i < x.length; i++) {
            err += (x[i] - rec[i]) * (double) (x[i] - rec[i]);
            energy += x[i] * (double) x[i];
        }
        return err / energy;
    }

    @Test
    void trainingLowersTheReconstructionErrorAndReloads() {
        int n = 1200, d = 16;
        int[] labels = new int[n];
        float[] x = KMeansTest.blobs(24, n / 24, d, 1.0, 5, labels);
        for (int p = 0; p < n; p++) { // unit vectors, like item embeddings
            double norm = Math.sqrt(dev.onerec4j.engine.tokenizer.quant.DistanceKernels.squaredNorm(x, p * d, d));
            for (int j = 0; j < d; j++) {
                x[p * d + j] /= (float) norm;
            }
        }
        int[] sizes = {16, 16};
        RqVaeSettings s = new RqVaeSettings(32, 8, 0, 128, 1e-2, 0.25, 1);
        RqVaeQuantizer untrained = RqVae.train(x, n, d, sizes, s, Progress.NONE);
        RqVaeQuantizer trained = RqVae.train(x, n, d, sizes, s.withEpochs(60), Progress.NONE);
        int[] codes = trained.codebooks().encodeAll(trained.toLatent(x, n), n);
        double before = relativeError(x, untrained.reconstruct(untrained.codebooks().encodeAll(untrained.toLatent(x, n), n), n, 2));
        double after = relativeError(x, trained.reconstruct(codes, n, 2));
        assertTrue(after < 0.5 * before, "reconstruction error " + before + " -> " + after);
        assertTrue(after < 0.1, "planted blobs are reconstructed well: " + after);

        Map<String, Tensor> state = trained.stateTensors();
        RqVaeQuantizer reloaded = RqVaeQuantizer.load(state, dev.onerec4j.tensors.MemoryScope.owned("test"), d, 32, 8, sizes);
        assertArrayEquals(trained.toLatent(x, n), reloaded.toLatent(x, n));
        assertArrayEquals(codes, reloaded.codebooks().encodeAll(reloaded.toLatent(x, n), n));
        assertEquals(RqVaeQuantizer.METHOD, reloaded.method());
    }
}
