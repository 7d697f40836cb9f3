package dev.onerec4j.kernels;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;

import static dev.onerec4j.kernels.Segments.assertAllclose;
import static dev.onerec4j.kernels.Segments.toDoubles;

/** Row selection / accumulation and last-axis gather / scatter-add against plain double loops. */
class IndexKernelsTest {

    @Test
    void selectAndAddRows() {
        Random r = new Random(61);
        try (Arena arena = Arena.ofConfined()) {
            for (int width : new int[] {1, 3, 8, 17, 100}) {
                int n = 6;
                int m = 9;
                long rowStride = width + 2; // rows with a gap between them
                MemorySegment src = Segments.gaussian(arena, r, (int) (n * rowStride), 1, 0);
                int[] idx = new int[m];
                for (int i = 0; i < m; i++) {
                    idx[i] = r.nextInt(n);
                }
                idx[1] = idx[0]; // a repeated row
                MemorySegment index = Segments.ofInts(arena, idx);
                MemorySegment out = Segments.floats(arena, m * width);
                IndexKernels.selectRows(src, 0, rowStride, index, 0, 1, out, 0, 0, m, width, 4);
                double[] expected = new double[m * width];
                for (int i = 0; i < m; i++) {
                    for (int c = 0; c < width; c++) {
                        expected[i * width + c] = Segments.get(src, idx[i] * rowStride + c);
                    }
                }
                assertAllclose("selectRows width=" + width, expected, toDoubles(out, 0, m * width), 0, 0);

                MemorySegment dst = Segments.gaussian(arena, r, n * width, 1, 0);
                double[] acc = toDoubles(dst, 0, n * width);
                for (int i = 0; i < m; i++) {
                    IndexKernels.addRowF32(out, (long) i * width, dst, (long) idx[i] * width, width);
                    for (int c = 0; c < width; c++) {
                        acc[idx[i] * width + c] += Segments.get(out, (long) i * width + c);
                    }
                }
                assertAllclose("addRow width=" + width, acc, toDoubles(dst, 0, n * width), 1e-6, 1e-6);
            }
        }
    }

    @Test
    void gatherAndScatterAddAlongTheRow() {
        Random r = new Random(62);
        try (Arena arena = Arena.ofConfined()) {
            int n = 13;
            int k = 20; // more picks than entries: indices repeat
            MemorySegment src = Segments.gaussian(arena, r, n, 1, 0);
            int[] idx = new int[k];
            for (int j = 0; j < k; j++) {
                idx[j] = r.nextInt(n);
            }
            MemorySegment index = Segments.ofInts(arena, idx);
            MemorySegment out = Segments.floats(arena, k);
            IndexKernels.gatherRow32(src, 0, index, 0, out, 0, k);
            double[] expected = new double[k];
            for (int j = 0; j < k; j++) {
                expected[j] = Segments.get(src, idx[j]);
            }
            assertAllclose("gatherRow32", expected, toDoubles(out, 0, k), 0, 0);

            MemorySegment dst = Segments.floats(arena, n);
            dst.fill((byte) 0);
            IndexKernels.scatterAddRowF32(dst, 0, index, 0, out, 0, k);
            double[] sums = new double[n];
            for (int j = 0; j < k; j++) {
                sums[idx[j]] += expected[j];
            }
            assertAllclose("scatterAddRowF32", sums, toDoubles(dst, 0, n), 1e-6, 1e-6);

            MemorySegment src64 = arena.allocate(8L * n, 64);
            for (int i = 0; i < n; i++) {
                src64.setAtIndex(ValueLayout.JAVA_DOUBLE, i, Segments.get(src, i));
            }
            MemorySegment out64 = arena.allocate(8L * k, 64);
            IndexKernels.gatherRow64(src64, 0, index, 0, out64, 0, k);
            MemorySegment dst64 = arena.allocate(8L * n, 64);
            dst64.fill((byte) 0);
            IndexKernels.scatterAddRowF64(dst64, 0, index, 0, out64, 0, k);
            for (int i = 0; i < n; i++) {
                Segments.assertClose("scatterAddRowF64 " + i, sums[i], dst64.getAtIndex(ValueLayout.JAVA_DOUBLE, i), 1e-12, 1e-12);
            }
        }
    }
}
