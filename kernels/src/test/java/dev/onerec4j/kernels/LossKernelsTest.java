package dev.onerec4j.kernels;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;

import static dev.onerec4j.kernels.Segments.LENGTHS;
import static dev.onerec4j.kernels.Segments.assertAllclose;
import static dev.onerec4j.kernels.Segments.toDoubles;

/** F32 cross-entropy rows with label smoothing, loss and gradient, against a double-precision reference. */
class LossKernelsTest {

    /** {@code -log p} from its definition: {@code loss = (1 - s) * -log p[t] + s * mean_j(-log p[j])}. */
    static double[] reference(double[] x, int t, double s, double[] grad) {
        double[] logp = SoftmaxKernelsTest.softmaxReference(x, true);
        int n = x.length;
        double meanNll = 0;
        for (double v : logp) {
            meanNll -= v / n;
        }
        for (int j = 0; j < n; j++) {
            grad[j] = Math.exp(logp[j]) - s / n - (j == t ? 1 - s : 0);
        }
        return new double[] {(1 - s) * -logp[t] + s * meanNll};
    }

    @Test
    void lossAndGradientMatchReference() {
        Random r = new Random(31);
        try (Arena arena = Arena.ofConfined()) {
            for (int n : LENGTHS) {
                for (double s : new double[] {0.0, 0.1, 1.0}) {
                    for (double shift : new double[] {0, 500}) {
                        MemorySegment x = Segments.gaussian(arena, r, n + 2, 3, shift);
                        MemorySegment grad = Segments.floats(arena, n + 1);
                        int t = r.nextInt(n);
                        double loss = LossKernels.crossEntropyF32(x, 2, n, t, s, grad, 1);
                        double[] expectedGrad = new double[n];
                        double[] expected = reference(toDoubles(x, 2, n), t, s, expectedGrad);
                        String what = "crossEntropy n=" + n + " s=" + s + " shift=" + shift;
                        Segments.assertClose(what, expected[0], loss, 1e-5, 1e-6);
                        assertAllclose(what + " grad", expectedGrad, toDoubles(grad, 1, n), 1e-5, 1e-7);
                        // Without a gradient buffer the loss is the same.
                        Segments.assertClose(what + " no grad", loss,
                                LossKernels.crossEntropyF32(x, 2, n, t, s, null, 0), 0, 0);
                    }
                }
            }
        }
    }
}
