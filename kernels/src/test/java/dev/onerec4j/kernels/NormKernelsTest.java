package dev.onerec4j.kernels;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;

import static dev.onerec4j.kernels.Segments.LENGTHS;
import static dev.onerec4j.kernels.Segments.assertAllclose;
import static dev.onerec4j.kernels.Segments.maxAbs;
import static dev.onerec4j.kernels.Segments.toDoubles;

/** F32 RMSNorm rows, forward and backward, against double-precision references. */
class NormKernelsTest {

    private static final double EPS = 1e-5;

    @Test
    void forwardAndBackwardMatchReference() {
        Random r = new Random(21);
        try (Arena arena = Arena.ofConfined()) {
            for (int n : LENGTHS) {
                MemorySegment x = Segments.gaussian(arena, r, n + 1, 2, 0.3);
                MemorySegment w = Segments.gaussian(arena, r, n, 1, 1);
                MemorySegment out = Segments.floats(arena, n);
                float rstd = NormKernels.rmsNormF32(x, 1, w, 0, EPS, out, 0, n);
                double[] xv = toDoubles(x, 1, n);
                double[] wv = toDoubles(w, 0, n);
                double ss = 0;
                for (double v : xv) {
                    ss += v * v;
                }
                double rs = 1 / Math.sqrt(ss / n + EPS);
                double[] expected = new double[n];
                for (int i = 0; i < n; i++) {
                    expected[i] = xv[i] * rs * wv[i];
                }
                Segments.assertClose("rstd n=" + n, rs, rstd, 1e-6, 0);
                assertAllclose("rmsNorm n=" + n, expected, toDoubles(out, 0, n), 1e-5, 1e-7);

                // Backward, with the weight gradient accumulating onto a non-zero start.
                MemorySegment g = Segments.gaussian(arena, r, n, 1, 0);
                MemorySegment gx = Segments.floats(arena, n);
                MemorySegment gw = Segments.gaussian(arena, r, n, 1, 0);
                double[] gw0 = toDoubles(gw, 0, n);
                NormKernels.rmsNormBackwardF32(x, 1, w, 0, rstd, g, 0, gx, 0, gw, 0, n);
                double[] gv = toDoubles(g, 0, n);
                double dot = 0;
                for (int i = 0; i < n; i++) {
                    dot += gv[i] * wv[i] * xv[i];
                }
                double[] expectedGx = new double[n];
                double[] expectedGw = new double[n];
                // The two terms of dx cancel when n is small: tolerate rounding relative to the terms.
                double termScale = 0;
                for (int i = 0; i < n; i++) {
                    termScale = Math.max(termScale, Math.abs(rs * gv[i] * wv[i]));
                    expectedGx[i] = rs * (gv[i] * wv[i] - xv[i] * rs * rs * dot / n);
                    expectedGw[i] = gw0[i] + gv[i] * xv[i] * rs;
                }
                assertAllclose("rmsNormBackward dx n=" + n, expectedGx, toDoubles(gx, 0, n), 1e-5,
                        1e-6 * termScale);
                assertAllclose("rmsNormBackward dw n=" + n, expectedGw, toDoubles(gw, 0, n), 1e-5,
                        1e-6 * maxAbs(expectedGw));
            }
        }
    }
}
