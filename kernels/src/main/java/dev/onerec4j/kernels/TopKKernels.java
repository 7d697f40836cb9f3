package dev.onerec4j.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The {@code k} largest entries of one contiguous row, in descending order; equal values keep the lower index
 * first, and NaN ranks above every number (as in PyTorch). One pass with a size-{@code k} heap whose root is
 * the entry that currently ranks last; once the heap is full, F32 rows skip whole vectors that hold nothing
 * above the root, so {@code k << n} (beam search over a vocabulary) costs little more than reading the row.
 */
public final class TopKKernels {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final ByteOrder NO = ByteOrder.nativeOrder();
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT;
    private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE;
    private static final ValueLayout.OfInt I = ValueLayout.JAVA_INT;

    private TopKKernels() {
    }

    /**
     * Top {@code k} of the F32 row {@code x[xo, xo + n)} into {@code values[vo, vo + k)} and I32
     * {@code indices[io, io + k)}. {@code heapValues} and {@code heapIndices} are scratch of length {@code >= k}.
     */
    public static void topKF32(MemorySegment x, long xo, int n, int k, float[] heapValues, int[] heapIndices,
                               MemorySegment values, long vo, MemorySegment indices, long io) {
        if (k == 0) {
            return;
        }
        int first = Math.min(k, n);
        for (int j = 0; j < first; j++) {
            heapValues[j] = x.getAtIndex(F, xo + j);
            heapIndices[j] = j;
            siftUpF32(heapValues, heapIndices, j);
        }
        int i = first;
        // Whole vectors first: a lane can enter only if it ranks above the root (later indices never win ties).
        int bound = i + S.loopBound(n - i);
        for (; i < bound; i += L) {
            float root = heapValues[0];
            if (root != root) {
                i = n; // the heap is all NaN with lower indices: nothing later can enter
                break;
            }
            // "Not <= root" holds for lanes above the root and for NaN lanes: one compare covers both.
            if (!FloatVector.fromMemorySegment(S, x, (xo + i) * 4, NO).compare(VectorOperators.LE, root).allTrue()) {
                for (int lane = 0; lane < L; lane++) {
                    offerF32(heapValues, heapIndices, k, x.getAtIndex(F, xo + i + lane), i + lane);
                }
            }
        }
        for (; i < n; i++) {
            offerF32(heapValues, heapIndices, k, x.getAtIndex(F, xo + i), i);
        }
        // Pop the last-ranked entry into the last free slot until the heap is empty: descending order.
        for (int size = k; size > 0; size--) {
            values.setAtIndex(F, vo + size - 1, heapValues[0]);
            indices.setAtIndex(I, io + size - 1, heapIndices[0]);
            heapValues[0] = heapValues[size - 1];
            heapIndices[0] = heapIndices[size - 1];
            siftDownF32(heapValues, heapIndices, 0, size - 1);
        }
    }

    /** F64 version of {@link #topKF32}. */
    public static void topKF64(MemorySegment x, long xo, int n, int k, double[] heapValues, int[] heapIndices,
                               MemorySegment values, long vo, MemorySegment indices, long io) {
        if (k == 0) {
            return;
        }
        int first = Math.min(k, n);
        for (int j = 0; j < first; j++) {
            heapValues[j] = x.getAtIndex(D, xo + j);
            heapIndices[j] = j;
            siftUpF64(heapValues, heapIndices, j);
        }
        for (int i = first; i < n; i++) {
            double v = x.getAtIndex(D, xo + i);
            if (ranksBefore(v, i, heapValues[0], heapIndices[0])) {
                heapValues[0] = v;
                heapIndices[0] = i;
                siftDownF64(heapValues, heapIndices, 0, k);
            }
        }
        for (int size = k; size > 0; size--) {
            values.setAtIndex(D, vo + size - 1, heapValues[0]);
            indices.setAtIndex(I, io + size - 1, heapIndices[0]);
            heapValues[0] = heapValues[size - 1];
            heapIndices[0] = heapIndices[size - 1];
            siftDownF64(heapValues, heapIndices, 0, size - 1);
        }
    }

    /** Whether {@code (a, ia)} comes before {@code (b, ib)} in top-k order: larger first, NaN first, then lower index. */
    public static boolean ranksBefore(double a, int ia, double b, int ib) {
        if (a > b) {
            return true;
        }
        if (a < b) {
            return false;
        }
        boolean nanA = a != a;
        boolean nanB = b != b;
        if (nanA != nanB) {
            return nanA;
        }
        return ia < ib;
    }

    private static void offerF32(float[] hv, int[] hi, int k, float v, int index) {
        if (ranksBefore(v, index, hv[0], hi[0])) {
            hv[0] = v;
            hi[0] = index;
            siftDownF32(hv, hi, 0, k);
        }
    }

    // The heap keeps the entry that ranks last at the root: a parent never ranks before its children.

    private static void siftUpF32(float[] hv, int[] hi, int j) {
        while (j > 0) {
            int parent = (j - 1) >>> 1;
            if (!ranksBefore(hv[parent], hi[parent], hv[j], hi[j])) {
                return;
            }
            swap(hv, hi, parent, j);
            j = parent;
        }
    }

    private static void siftDownF32(float[] hv, int[] hi, int j, int size) {
        while (true) {
            int left = 2 * j + 1;
            if (left >= size) {
                return;
            }
            int right = left + 1;
            int worst = right < size && ranksBefore(hv[left], hi[left], hv[right], hi[right]) ? right : left;
            if (!ranksBefore(hv[j], hi[j], hv[worst], hi[worst])) {
                return;
            }
            swap(hv, hi, j, worst);
            j = worst;
        }
    }

    private static void siftUpF64(double[] hv, int[] hi, int j) {
        while (j > 0) {
            int parent = (j - 1) >>> 1;
            if (!ranksBefore(hv[parent], hi[parent], hv[j], hi[j])) {
                return;
            }
            swap(hv, hi, parent, j);
            j = parent;
        }
    }

    private static void siftDownF64(double[] hv, int[] hi, int j, int size) {
        while (true) {
            int left = 2 * j + 1;
            if (left >= size) {
                return;
            }
            int right = left + 1;
            int worst = right < size && ranksBefore(hv[left], hi[left], hv[right], hi[right]) ? right : left;
            if (!ranksBefore(hv[j], hi[j], hv[worst], hi[worst])) {
                return;
            }
            swap(hv, hi, j, worst);
            j = worst;
        }
    }

    private static void swap(float[] hv, int[] hi, int a, int b) {
        float v = hv[a];
        hv[a] = hv[b];
        hv[b] = v;
        int t = hi[a];
        hi[a] = hi[b];
        hi[b] = t;
    }

    private static void swap(double[] hv, int[] hi, int a, int b) {
        double v = hv[a];
        hv[a] = hv[b];
        hv[b] = v;
        int t = hi[a];
        hi[a] = hi[b];
        hi[b] = t;
    }
}
