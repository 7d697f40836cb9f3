package dev.onerec4j.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Row gathers and scatter-adds: whole rows picked or accumulated by an index ({@code index_select},
 * {@code index_add}), and single elements picked or accumulated along the last axis ({@code gather},
 * {@code scatter_add}). Offsets and strides count elements. Indices are trusted here: the backend validates
 * them before calling, so a bad index is reported with the op's shapes instead of corrupting memory.
 */
public final class IndexKernels {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final ByteOrder NO = ByteOrder.nativeOrder();
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT;
    private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE;
    private static final ValueLayout.OfInt I = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfLong J = ValueLayout.JAVA_LONG;

    private IndexKernels() {
    }

    /**
     * For {@code i} in {@code [from, to)}: copies the {@code width} contiguous elements of source row
     * {@code index[i]} (rows {@code srcRowStride} apart) to output row {@code i} (rows {@code width} apart).
     * Any element type: {@code elementBytes} is its size.
     */
    public static void selectRows(MemorySegment src, long srcOff, long srcRowStride, MemorySegment index, long indexOff,
                                  long indexStride, MemorySegment out, long outOff, int from, int to, int width,
                                  int elementBytes) {
        long rowBytes = (long) width * elementBytes;
        for (int i = from; i < to; i++) {
            long row = index.getAtIndex(I, indexOff + i * indexStride);
            MemorySegment.copy(src, (srcOff + row * srcRowStride) * elementBytes, out,
                    (outOff + (long) i * width) * elementBytes, rowBytes);
        }
    }

    /** {@code dst[i] += src[i]} for {@code n} contiguous F32 elements. */
    public static void addRowF32(MemorySegment src, long so, MemorySegment dst, long dstOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromMemorySegment(S, dst, (dstOff + i) * 4, NO)
                    .add(FloatVector.fromMemorySegment(S, src, (so + i) * 4, NO))
                    .intoMemorySegment(dst, (dstOff + i) * 4, NO);
        }
        for (; i < n; i++) {
            dst.setAtIndex(F, dstOff + i, dst.getAtIndex(F, dstOff + i) + src.getAtIndex(F, so + i));
        }
    }

    /** {@code dst[i] += src[i]} for {@code n} contiguous F64 elements. */
    public static void addRowF64(MemorySegment src, long so, MemorySegment dst, long dstOff, int n) {
        for (int i = 0; i < n; i++) {
            dst.setAtIndex(D, dstOff + i, dst.getAtIndex(D, dstOff + i) + src.getAtIndex(D, so + i));
        }
    }

    /** {@code out[j] = src[index[j]]} for {@code j < k}, 4-byte elements (F32 or I32, copied bit for bit). */
    public static void gatherRow32(MemorySegment src, long so, MemorySegment index, long io, MemorySegment out, long oo,
                                   int k) {
        for (int j = 0; j < k; j++) {
            out.setAtIndex(I, oo + j, src.getAtIndex(I, so + index.getAtIndex(I, io + j)));
        }
    }

    /** {@code out[j] = src[index[j]]} for {@code j < k}, 8-byte elements (F64). */
    public static void gatherRow64(MemorySegment src, long so, MemorySegment index, long io, MemorySegment out, long oo,
                                   int k) {
        for (int j = 0; j < k; j++) {
            out.setAtIndex(J, oo + j, src.getAtIndex(J, so + index.getAtIndex(I, io + j)));
        }
    }

    /** {@code dst[index[j]] += src[j]} for {@code j < k} (repeated indices accumulate), F32. */
    public static void scatterAddRowF32(MemorySegment dst, long dso, MemorySegment index, long io, MemorySegment src,
                                        long so, int k) {
        for (int j = 0; j < k; j++) {
            long t = dso + index.getAtIndex(I, io + j);
            dst.setAtIndex(F, t, dst.getAtIndex(F, t) + src.getAtIndex(F, so + j));
        }
    }

    /** {@code dst[index[j]] += src[j]} for {@code j < k}, F64. */
    public static void scatterAddRowF64(MemorySegment dst, long dso, MemorySegment index, long io, MemorySegment src,
                                        long so, int k) {
        for (int j = 0; j < k; j++) {
            long t = dso + index.getAtIndex(I, io + j);
            dst.setAtIndex(D, t, dst.getAtIndex(D, t) + src.getAtIndex(D, so + j));
        }
    }
}
