package dev.onerec4j.tensors.backend.cpu;

import dev.onerec4j.kernels.DropoutKernels;
import dev.onerec4j.tensors.DType;
import dev.onerec4j.tensors.Tensor;
import dev.onerec4j.tensors.backend.Backend;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static dev.onerec4j.tensors.testing.Allclose.assertAllclose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Row gathers/scatters, top-k and dropout masks of the CPU backend against plain double loops. */
class IndexingPrimitivesTest {

    private static final Backend CPU = CpuBackend.INSTANCE;

    private static int[] randomIndex(Random r, int count, int bound) {
        int[] idx = new int[count];
        for (int i = 0; i < count; i++) {
            idx[i] = r.nextInt(bound);
        }
        return idx;
    }

    @Test
    void indexSelectAndIndexAddOnOddShapesAndStridedRows() {
        Random r = new Random(1);
        for (DType dt : new DType[] {DType.F32, DType.F64}) {
            // The last shape is large enough to split the columns over threads.
            for (int[] nd : new int[][] {{1, 1}, {5, 1}, {1, 7}, {9, 17}, {40, 33}, {300, 600}}) {
                int n = nd[0];
                int d = nd[1];
                int m = 2 * n + 3;
                Tensor full = Tensor.randn(dt, 2, 1.0, n, d + 3);
                Tensor src = full.slice(1, 1, d + 1); // rows d + 3 apart
                int[] idx = randomIndex(r, m, n);
                idx[m - 1] = idx[0];
                Tensor index = Tensor.ofInts(idx, m);
                Tensor out = Tensor.empty(dt, m, d);
                CPU.indexSelect(src, index, out);
                double[] expected = new double[m * d];
                for (int i = 0; i < m; i++) {
                    for (int c = 0; c < d; c++) {
                        expected[i * d + c] = src.get(idx[i], c);
                    }
                }
                String what = dt + " [" + n + ", " + d + "]";
                assertAllclose("indexSelect " + what, expected, out, 0, 0);

                Tensor dst = Tensor.randn(dt, 3, 1.0, n, d);
                double[] acc = dst.toDoubleArray();
                double[] sv = out.toDoubleArray();
                for (int i = 0; i < m; i++) {
                    for (int c = 0; c < d; c++) {
                        acc[idx[i] * d + c] += sv[i * d + c];
                    }
                }
                CPU.indexAdd(dst, index, out);
                assertAllclose("indexAdd " + what, acc, dst, dt == DType.F32 ? 1e-5 : 1e-12, 1e-6);
            }
        }
    }

    @Test
    void gatherAndScatterAddAlongTheLastAxis() {
        Random r = new Random(2);
        for (DType dt : new DType[] {DType.F32, DType.F64}) {
            for (int[] shape : new int[][] {{1, 1}, {4, 1}, {1, 9}, {3, 5, 17}, {200, 40}}) {
                int n = shape[shape.length - 1];
                int k = 2 * n + 1; // indices repeat
                int[] idxShape = shape.clone();
                idxShape[idxShape.length - 1] = k;
                int rows = (int) (Tensor.empty(dt, shape).numel() / n);
                Tensor src = Tensor.randn(dt, 4, 1.0, shape);
                int[] idx = randomIndex(r, rows * k, n);
                Tensor index = Tensor.ofInts(idx, idxShape);
                Tensor out = Tensor.empty(dt, idxShape);
                CPU.gatherLast(src, index, out);
                double[] sv = src.toDoubleArray();
                double[] expected = new double[rows * k];
                double[] scattered = new double[rows * n];
                for (int row = 0; row < rows; row++) {
                    for (int j = 0; j < k; j++) {
                        expected[row * k + j] = sv[row * n + idx[row * k + j]];
                        scattered[row * n + idx[row * k + j]] += expected[row * k + j];
                    }
                }
                String what = dt + " " + Arrays.toString(shape);
                assertAllclose("gatherLast " + what, expected, out, 0, 0);
                Tensor dst = Tensor.zeros(dt, shape);
                CPU.scatterAddLast(dst, index, out);
                assertAllclose("scatterAddLast " + what, scattered, dst, dt == DType.F32 ? 1e-5 : 1e-12, 1e-6);
            }
        }
        // I32 sources are gathered bit for bit.
        Tensor ints = Tensor.ofInts(new int[] {10, 20, 30, 40, 50, 60}, 2, 3);
        Tensor picked = Tensor.empty(DType.I32, 2, 2);
        CPU.gatherLast(ints, Tensor.ofInts(new int[] {2, 0, 1, 1}, 2, 2), picked);
        assertArrayEquals(new int[] {30, 10, 50, 50}, picked.toIntArray());
    }

    @Test
    void topKIsDescendingWithTiesToTheLowerIndex() {
        for (DType dt : new DType[] {DType.F32, DType.F64}) {
            Tensor x = Tensor.of(dt, new double[] {1, 3, 3, 2, 3, -1, 0, 0, 5, 5, 5, 5}, 2, 6);
            Tensor values = Tensor.empty(dt, 2, 4);
            Tensor indices = Tensor.empty(DType.I32, 2, 4);
            CPU.topK(x, 4, values, indices);
            assertArrayEquals(new int[] {1, 2, 4, 3, 2, 3, 4, 5}, indices.toIntArray(), dt + " indices");
            assertArrayEquals(new double[] {3, 3, 3, 2, 5, 5, 5, 5}, values.toDoubleArray(), dt + " values");
        }
        // Rows x columns that split over threads, against a sort.
        Tensor big = Tensor.randn(DType.F32, 5, 1.0, 64, 1001);
        Tensor values = Tensor.empty(DType.F32, 64, 10);
        Tensor indices = Tensor.empty(DType.I32, 64, 10);
        CPU.topK(big, 10, values, indices);
        float[] all = big.toFloatArray();
        int[] got = indices.toIntArray();
        for (int row = 0; row < 64; row++) {
            float[] sorted = Arrays.copyOfRange(all, row * 1001, (row + 1) * 1001);
            Arrays.sort(sorted);
            for (int j = 0; j < 10; j++) {
                assertEquals(sorted[1000 - j], all[row * 1001 + got[row * 10 + j]], "row " + row + " rank " + j);
                assertEquals(sorted[1000 - j], values.getFlat(row * 10L + j), "row " + row + " value " + j);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> CPU.topK(big, 1002, Tensor.empty(DType.F32, 64, 1002),
                Tensor.empty(DType.I32, 64, 1002)));
    }

    @Test
    void dropoutMaskFollowsTheCounterDefinitionAcrossChunks() {
        long n = 3L * (1 << 16) + 17; // several fixed-size chunks, split over the worker pool
        double p = 0.25;
        int threshold = DropoutKernels.threshold(p);
        for (DType dt : new DType[] {DType.F32, DType.F64}) {
            Tensor mask = Tensor.empty(dt, 3, (int) (n / 3));
            long total = mask.numel();
            CPU.dropoutMask(mask, p, 2024);
            double[] v = mask.toDoubleArray();
            long dropped = 0;
            for (int i = 0; i < total; i++) {
                double expected = DropoutKernels.keeps(2024, i, threshold) ? 1 / (1 - p) : 0;
                assertEquals(expected, v[i], 1e-6, dt + " element " + i);
                dropped += v[i] == 0 ? 1 : 0;
            }
            assertEquals(p, dropped / (double) total, 5 * Math.sqrt(p * (1 - p) / total), dt + " drop rate");
        }
        Tensor all = Tensor.empty(DType.F32, 100);
        CPU.dropoutMask(all, 1.0, 3);
        assertArrayEquals(new float[100], all.toFloatArray(), "p = 1 drops everything");
        CPU.dropoutMask(all, 0.0, 3);
        float[] ones = new float[100];
        Arrays.fill(ones, 1f);
        assertArrayEquals(ones, all.toFloatArray(), "p = 0 keeps everything unscaled");
        assertThrows(IllegalArgumentException.class, () -> CPU.dropoutMask(all, 1.5, 3));
    }

    @Test
    void outOfRangeIndicesThrowBeforeTouchingMemory() {
        Tensor src = Tensor.randn(DType.F32, 1, 1.0, 4, 3);
        Tensor out = Tensor.zeros(DType.F32, 2, 3);
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
                () -> CPU.indexSelect(src, Tensor.ofInts(new int[] {1, 4}, 2), out));
        assertTrue(e.getMessage().contains("indexSelect") && e.getMessage().contains("index 4")
                && e.getMessage().contains("[4, 3]"), e.getMessage());
        assertArrayEquals(new float[6], out.toFloatArray(), "nothing was written");
        Tensor before = src.copy();
        assertThrows(IndexOutOfBoundsException.class, () -> CPU.indexAdd(src, Tensor.ofInts(new int[] {0, -1}, 2), out));
        assertAllclose("indexAdd left the destination alone", before, src, 0, 0);
        assertThrows(IndexOutOfBoundsException.class,
                () -> CPU.gatherLast(src, Tensor.ofInts(new int[] {0, 3, 0, 0, 1, 2, 2, 2}, 4, 2), Tensor.empty(DType.F32, 4, 2)));
        assertThrows(IndexOutOfBoundsException.class,
                () -> CPU.scatterAddLast(src, Tensor.ofInts(new int[] {0, 0, 0, 0, 0, 0, 0, 7}, 4, 2), Tensor.zeros(DType.F32, 4, 2)));
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                () -> CPU.gatherLast(src, Tensor.ofInts(new int[] {0, 0, 0}, 3, 1), Tensor.empty(DType.F32, 3, 1)));
        assertTrue(shape.getMessage().contains("every dimension but the last"), shape.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> CPU.indexSelect(src, Tensor.of(new float[] {0, 1}, 2), out), "F32 index is rejected");
    }
}
