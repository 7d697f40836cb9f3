package dev.onerec4j.kernels;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;

import static dev.onerec4j.kernels.Segments.LENGTHS;
import static dev.onerec4j.kernels.Segments.assertAllclose;
import static dev.onerec4j.kernels.Segments.maxAbs;
import static dev.onerec4j.kernels.Segments.toDoubles;

/** F32 softmax / log-softmax rows, forward and backward, against double-precision references. */
class SoftmaxKernelsTest {

    static double[] softmaxReference(double[] x, boolean log) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : x) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (double v : x) {
            sum += Math.exp(v - max);
        }
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = log ? x[i] - max - Math.log(sum) : Math.exp(x[i] - max) / sum;
        }
        return out;
    }

    static double[] softmaxBackwardReference(double[] y, double[] g, boolean log) {
        double acc = 0;
        for (int i = 0; i < y.length; i++) {
            acc += log ? g[i] : g[i] * y[i];
        }
        double[] out = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            out[i] = log ? g[i] - Math.exp(y[i]) * acc : y[i] * (g[i] - acc);
        }
        return out;
    }

    @Test
    void forwardMatchesReferenceIncludingHugeLogits() {
        Random r = new Random(11);
        try (Arena arena = Arena.ofConfined()) {
            for (int n : LENGTHS) {
                for (double shift : new double[] {0, 1000, -1000}) {
                    for (boolean log : new boolean[] {false, true}) {
                        // Offset 3 elements into the segments so rows are not vector-aligned.
                        MemorySegment x = Segments.gaussian(arena, r, n + 3, 3, shift);
                        MemorySegment out = Segments.floats(arena, n + 5);
                        SoftmaxKernels.softmaxF32(x, 3, out, 5, n, log);
                        double[] expected = softmaxReference(toDoubles(x, 3, n), log);
                        assertAllclose((log ? "log" : "") + "softmax n=" + n + " shift=" + shift, expected,
                                toDoubles(out, 5, n), 1e-5, log ? 1e-6 : 1e-9);
                    }
                }
            }
        }
    }

    @Test
    void backwardMatchesReference() {
        Random r = new Random(12);
        try (Arena arena = Arena.ofConfined()) {
            for (int n : LENGTHS) {
                for (boolean log : new boolean[] {false, true}) {
                    MemorySegment x = Segments.gaussian(arena, r, n, 2, 0);
                    MemorySegment y = Segments.floats(arena, n);
                    SoftmaxKernels.softmaxF32(x, 0, y, 0, n, log);
                    MemorySegment g = Segments.gaussian(arena, r, n, 1, 0);
                    MemorySegment gx = Segments.floats(arena, n);
                    SoftmaxKernels.softmaxBackwardF32(y, 0, g, 0, gx, 0, n, log);
                    double[] expected = softmaxBackwardReference(toDoubles(y, 0, n), toDoubles(g, 0, n), log);
                    assertAllclose((log ? "log" : "") + "softmaxBackward n=" + n, expected, toDoubles(gx, 0, n),
                            1e-5, 1e-6 * maxAbs(expected));
                }
            }
        }
    }

    @Test
    void rowStatisticsMatchReference() {
        Random r = new Random(13);
        try (Arena arena = Arena.ofConfined()) {
            for (int n : new int[] {1, 9, 100, 5000, 100_003}) {
                MemorySegment a = Segments.gaussian(arena, r, n, 1, 0.5);
                MemorySegment b = Segments.gaussian(arena, r, n, 1, 0);
                double[] av = toDoubles(a, 0, n);
                double[] bv = toDoubles(b, 0, n);
                double sum = 0;
                double dot = 0;
                double max = Double.NEGATIVE_INFINITY;
                double absDot = 0;
                double absSum = 0;
                for (int i = 0; i < n; i++) {
                    sum += av[i];
                    absSum += Math.abs(av[i]);
                    dot += av[i] * bv[i];
                    absDot += Math.abs(av[i] * bv[i]);
                    max = Math.max(max, av[i]);
                }
                double sumExp = 0;
                for (double v : av) {
                    sumExp += Math.exp(v - max);
                }
                Segments.assertClose("max n=" + n, max, SoftmaxKernels.maxF32(a, 0, n), 0, 0);
                // A plain float sum of 100k terms would miss by far more than 1e-6 relative.
                Segments.assertClose("sum n=" + n, sum, SoftmaxKernels.sumF32(a, 0, n), 0, 1e-6 * absSum);
                Segments.assertClose("dot n=" + n, dot, SoftmaxKernels.dotF32(a, 0, b, 0, n), 0, 1e-6 * absDot);
                Segments.assertClose("sumExp n=" + n, sumExp, SoftmaxKernels.sumExpF32(a, 0, n, (float) max), 1e-6, 0);
            }
        }
    }
}
