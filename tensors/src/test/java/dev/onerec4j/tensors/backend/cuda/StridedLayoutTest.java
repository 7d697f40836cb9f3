package dev.onerec4j.tensors.backend.cuda;

import dev.onerec4j.kernels.cuda.KernelArgs;
import dev.onerec4j.tensors.Shapes;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Merged layouts address exactly the elements the original strides do. */
class StridedLayoutTest {

    private static long offset(int[] shape, long[] strides, long base, long flat) {
        long off = base;
        for (int d = shape.length - 1; d >= 0; d--) {
            off += (flat % shape[d]) * strides[d];
            flat /= shape[d];
        }
        return off;
    }

    @Test
    void mergedOffsetsMatchTheOriginalOnRandomViews() {
        Random r = new Random(5);
        for (int trial = 0; trial < 300; trial++) {
            int rank = 1 + r.nextInt(6);
            int[] shape = new int[rank];
            for (int d = 0; d < rank; d++) {
                shape[d] = 1 + r.nextInt(4);
            }
            long[] contiguous = Shapes.contiguousStrides(shape);
            long[] permuted = contiguous.clone();
            for (int d = rank - 1; d > 0; d--) {
                int j = r.nextInt(d + 1);
                long t = permuted[d];
                permuted[d] = permuted[j];
                permuted[j] = t;
            }
            long[] broadcast = contiguous.clone();
            broadcast[r.nextInt(rank)] = 0;
            long[][] strides = {contiguous, permuted, broadcast};
            long[] offsets = {3, 0, 7};
            StridedLayout l = StridedLayout.of("test", shape, strides, offsets);
            long n = Shapes.numel(shape);
            assertEquals(n, l.numel());
            for (long i = 0; i < n; i++) {
                for (int k = 0; k < 3; k++) {
                    assertEquals(offset(shape, strides[k], offsets[k], i), l.offsetOf(i, k), "trial " + trial);
                }
            }
        }
    }

    @Test
    void contiguousOperandsCollapseToOneDimension() {
        int[] shape = {4, 5, 6};
        long[] c = Shapes.contiguousStrides(shape);
        StridedLayout l = StridedLayout.of("test", shape, new long[][] {c, c}, new long[] {0, 0});
        assertEquals(1, l.rank());
        assertEquals(120, l.sizes()[0]);
        StridedLayout scalar = StridedLayout.of("test", new int[0], new long[][] {{}}, new long[] {2});
        assertEquals(1, scalar.rank());
        assertEquals(2, scalar.offsetOf(0, 0));
    }

    @Test
    void tooManyDimensionsFailWithTheShape() {
        int[] shape = {2, 2, 2, 2, 2, 2, 2, 2, 2};
        long[] s = new long[9];
        for (int d = 0; d < 9; d++) {
            s[d] = 1L << (2 * (8 - d)); // gaps everywhere: nothing merges
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StridedLayout.of("binary ADD", shape, new long[][] {s}, new long[] {0}));
        assertEquals(true, e.getMessage().contains("binary ADD"));
    }

    @Test
    void packsTheStructsOfCommonCuh() {
        int[] shape = {3, 4};
        StridedLayout l = StridedLayout.of("t", shape, new long[][] {{1, 3}}, new long[] {5});
        KernelArgs a = KernelArgs.begin();
        l.addDims(a);
        l.addOperand(a, 0);
        assertEquals(2, a.count());
        java.lang.foreign.MemorySegment args = a.pointerArray();
        long dims = args.getAtIndex(java.lang.foreign.ValueLayout.JAVA_LONG, 0);
        long op = args.getAtIndex(java.lang.foreign.ValueLayout.JAVA_LONG, 1);
        assertEquals(72, op - dims, "Dims is 72 bytes: int rank, int pad, long size[8]");
    }
}
