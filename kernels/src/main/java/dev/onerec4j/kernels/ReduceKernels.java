package dev.onerec4j.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/** Sum/max/min reductions over a contiguous run, or down the columns of a row-major block. */
public final class ReduceKernels {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final ByteOrder NO = ByteOrder.nativeOrder();
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT;
    private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE;

    private ReduceKernels() {
    }

    /** Reduces {@code n} contiguous F32 elements starting at element {@code off}; sums accumulate in four vectors. */
    public static double reduceRunF32(ReduceOp op, MemorySegment a, long off, int n) {
        if (n == 0) {
            return identity(op);
        }
        int i = 0;
        int bound4 = n - n % (4 * L);
        if (op == ReduceOp.SUM) {
            FloatVector s0 = FloatVector.zero(S);
            FloatVector s1 = FloatVector.zero(S);
            FloatVector s2 = FloatVector.zero(S);
            FloatVector s3 = FloatVector.zero(S);
            for (; i < bound4; i += 4 * L) {
                long b = (off + i) * 4;
                s0 = s0.add(FloatVector.fromMemorySegment(S, a, b, NO));
                s1 = s1.add(FloatVector.fromMemorySegment(S, a, b + 4L * L, NO));
                s2 = s2.add(FloatVector.fromMemorySegment(S, a, b + 8L * L, NO));
                s3 = s3.add(FloatVector.fromMemorySegment(S, a, b + 12L * L, NO));
            }
            double acc = s0.add(s1).add(s2.add(s3)).reduceLanes(VectorOperators.ADD);
            for (; i < n; i++) {
                acc += a.getAtIndex(F, off + i);
            }
            return acc;
        }
        boolean max = op == ReduceOp.MAX;
        FloatVector m = FloatVector.broadcast(S, max ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY);
        int bound = S.loopBound(n);
        for (; i < bound; i += L) {
            FloatVector v = FloatVector.fromMemorySegment(S, a, (off + i) * 4, NO);
            m = max ? m.max(v) : m.min(v);
        }
        float acc = m.reduceLanes(max ? VectorOperators.MAX : VectorOperators.MIN);
        for (; i < n; i++) {
            float v = a.getAtIndex(F, off + i);
            acc = max ? Math.max(acc, v) : Math.min(acc, v);
        }
        return acc;
    }

    /** Reduces {@code n} contiguous F64 elements starting at element {@code off}. */
    public static double reduceRunF64(ReduceOp op, MemorySegment a, long off, int n) {
        double acc = identity(op);
        for (int i = 0; i < n; i++) {
            acc = combine(op, acc, a.getAtIndex(D, off + i));
        }
        return acc;
    }

    /**
     * For columns {@code [from, to)} of the row-major block of {@code rows} rows of {@code width} elements
     * starting at {@code base}: {@code out[outBase + c] = reduce over r of a[base + r * width + c]}.
     */
    public static void reduceColumnsF32(ReduceOp op, MemorySegment a, long base, int rows, int width,
                                        MemorySegment out, long outBase, int from, int to) {
        float init = (float) identity(op);
        int c = from;
        int bound = from + S.loopBound(to - from);
        for (; c < bound; c += L) {
            FloatVector acc = FloatVector.broadcast(S, init);
            for (int r = 0; r < rows; r++) {
                FloatVector v = FloatVector.fromMemorySegment(S, a, (base + (long) r * width + c) * 4, NO);
                acc = switch (op) {
                    case SUM -> acc.add(v);
                    case MAX -> acc.max(v);
                    case MIN -> acc.min(v);
                };
            }
            acc.intoMemorySegment(out, (outBase + c) * 4, NO);
        }
        for (; c < to; c++) {
            double acc = identity(op);
            for (int r = 0; r < rows; r++) {
                acc = combine(op, acc, a.getAtIndex(F, base + (long) r * width + c));
            }
            out.setAtIndex(F, outBase + c, (float) acc);
        }
    }

    /** F64 version of {@link #reduceColumnsF32}. */
    public static void reduceColumnsF64(ReduceOp op, MemorySegment a, long base, int rows, int width,
                                        MemorySegment out, long outBase, int from, int to) {
        for (int c = from; c < to; c++) {
            double acc = identity(op);
            for (int r = 0; r < rows; r++) {
                acc = combine(op, acc, a.getAtIndex(D, base + (long) r * width + c));
            }
            out.setAtIndex(D, outBase + c, acc);
        }
    }

    public static double identity(ReduceOp op) {
        return switch (op) {
            case SUM -> 0.0;
            case MAX -> Double.NEGATIVE_INFINITY;
            case MIN -> Double.POSITIVE_INFINITY;
        };
    }

    public static double combine(ReduceOp op, double acc, double v) {
        return switch (op) {
            case SUM -> acc + v;
            case MAX -> Math.max(acc, v);
            case MIN -> Math.min(acc, v);
        };
    }
}
