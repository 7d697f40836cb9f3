package dev.onerec4j.kernels;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** Top-k rows against a full sort (descending, ties to the lower index, NaN first). */
class TopKKernelsTest {

    /** Indices of the k best entries by a full stable sort. */
    static int[] reference(double[] x, int k) {
        Comparator<Integer> order = (a, b) -> {
            double va = x[a];
            double vb = x[b];
            boolean na = Double.isNaN(va);
            boolean nb = Double.isNaN(vb);
            if (na || nb) {
                return na == nb ? 0 : na ? -1 : 1;
            }
            return Double.compare(vb == 0 ? 0.0 : vb, va == 0 ? 0.0 : va); // -0.0 ties with 0.0
        };
        Integer[] idx = IntStream.range(0, x.length).boxed().toArray(Integer[]::new);
        Arrays.sort(idx, order); // stable: equal values keep index order
        return Arrays.stream(idx).limit(k).mapToInt(Integer::intValue).toArray();
    }

    @Test
    void matchesFullSortWithTiesAndNaN() {
        Random r = new Random(51);
        try (Arena arena = Arena.ofConfined()) {
            for (int n : Segments.LENGTHS) {
                for (int k : new int[] {1, 2, 5, n / 2, n}) {
                    if (k < 1 || k > n) {
                        continue;
                    }
                    for (int pattern = 0; pattern < 4; pattern++) {
                        float[] row = new float[n];
                        for (int i = 0; i < n; i++) {
                            row[i] = switch (pattern) {
                                case 0 -> (float) r.nextGaussian();
                                case 1 -> r.nextInt(4); // many ties
                                case 2 -> i % 7 == 3 ? Float.NaN : (float) r.nextGaussian();
                                default -> (i % 2 == 0 ? -0.0f : 0.0f) + (i > n / 2 ? 1 : 0); // signed zeros
                            };
                        }
                        double[] xd = new double[n];
                        for (int i = 0; i < n; i++) {
                            xd[i] = row[i];
                        }
                        int[] expected = reference(xd, k);
                        MemorySegment x = Segments.ofFloats(arena, row);
                        MemorySegment values = Segments.floats(arena, k);
                        MemorySegment indices = arena.allocate(4L * k, 64);
                        TopKKernels.topKF32(x, 0, n, k, new float[k], new int[k], values, 0, indices, 0);
                        int[] actual = new int[k];
                        float[] expectedValues = new float[k];
                        float[] actualValues = new float[k];
                        for (int j = 0; j < k; j++) {
                            actual[j] = indices.getAtIndex(ValueLayout.JAVA_INT, j);
                            actualValues[j] = values.getAtIndex(ValueLayout.JAVA_FLOAT, j);
                            expectedValues[j] = row[expected[j]];
                        }
                        String what = "topK n=" + n + " k=" + k + " pattern " + pattern;
                        assertArrayEquals(expected, actual, what + " indices");
                        assertArrayEquals(expectedValues, actualValues, what + " values");

                        MemorySegment xd64 = arena.allocate(8L * n, 64);
                        for (int i = 0; i < n; i++) {
                            xd64.setAtIndex(ValueLayout.JAVA_DOUBLE, i, xd[i]);
                        }
                        MemorySegment values64 = arena.allocate(8L * k, 64);
                        TopKKernels.topKF64(xd64, 0, n, k, new double[k], new int[k], values64, 0, indices, 0);
                        for (int j = 0; j < k; j++) {
                            actual[j] = indices.getAtIndex(ValueLayout.JAVA_INT, j);
                        }
                        assertArrayEquals(expected, actual, what + " F64 indices");
                    }
                }
            }
        }
    }
}
