package dev.onerec4j.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Softmax and log-softmax over one contiguous row of {@code n} elements, forward and backward, plus the row
 * statistics (maximum, shifted exponential sum) that the cross-entropy kernels share. Offsets count elements.
 *
 * <p>The maximum is subtracted before exponentiating, so no term exceeds 1. F32 sums accumulate in four
 * independent vectors over blocks of {@link #BLOCK} elements and each block's total is added into a double, so
 * the rounding error stays that of a short float sum even for a 100k-entry vocabulary.
 */
public final class SoftmaxKernels {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Elements summed in float before the partial goes into the double accumulator (a multiple of 4 L). */
    static final int BLOCK = 16 * 4 * L;
    private static final ByteOrder NO = ByteOrder.nativeOrder();
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT;
    private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE;

    private SoftmaxKernels() {
    }

    // ------------------------------------------------------------------ forward

    /** {@code out = softmax(x)} (or {@code log_softmax(x)} when {@code log}) over one F32 row. */
    public static void softmaxF32(MemorySegment x, long xo, MemorySegment out, long oo, int n, boolean log) {
        float max = maxF32(x, xo, n);
        if (log) {
            // (x - max) - log(sum): the first difference is exact near the maximum, where log p is close to 0.
            float logSum = (float) Math.log(sumExpF32(x, xo, n, max));
            FloatVector vm = FloatVector.broadcast(S, max);
            FloatVector vl = FloatVector.broadcast(S, logSum);
            int i = 0;
            for (int bound = S.loopBound(n); i < bound; i += L) {
                FloatVector.fromMemorySegment(S, x, (xo + i) * 4, NO).sub(vm).sub(vl).intoMemorySegment(out, (oo + i) * 4, NO);
            }
            for (; i < n; i++) {
                out.setAtIndex(F, oo + i, (x.getAtIndex(F, xo + i) - max) - logSum);
            }
            return;
        }
        double sum = expShiftedF32(x, xo, n, max, out, oo);
        float inv = (float) (1.0 / sum);
        FloatVector vi = FloatVector.broadcast(S, inv);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromMemorySegment(S, out, (oo + i) * 4, NO).mul(vi).intoMemorySegment(out, (oo + i) * 4, NO);
        }
        for (; i < n; i++) {
            out.setAtIndex(F, oo + i, out.getAtIndex(F, oo + i) * inv);
        }
    }

    /** F64 version of {@link #softmaxF32} (scalar; used by gradient checks). */
    public static void softmaxF64(MemorySegment x, long xo, MemorySegment out, long oo, int n, boolean log) {
        double max = maxF64(x, xo, n);
        double sum = sumExpF64(x, xo, n, max);
        if (log) {
            double logSum = Math.log(sum);
            for (int i = 0; i < n; i++) {
                out.setAtIndex(D, oo + i, (x.getAtIndex(D, xo + i) - max) - logSum);
            }
        } else {
            double inv = 1.0 / sum;
            for (int i = 0; i < n; i++) {
                out.setAtIndex(D, oo + i, Math.exp(x.getAtIndex(D, xo + i) - max) * inv);
            }
        }
    }

    // ------------------------------------------------------------------ backward

    /**
     * Gradient of the row's softmax given its output {@code y} and output gradient {@code g}:
     * {@code gx = y * (g - sum(g * y))}, or for log-softmax {@code gx = g - exp(y) * sum(g)}. {@code gx} may
     * alias {@code g}.
     */
    public static void softmaxBackwardF32(MemorySegment y, long yo, MemorySegment g, long go, MemorySegment gx,
                                          long gxo, int n, boolean log) {
        int bound = S.loopBound(n);
        if (log) {
            float total = (float) sumF32(g, go, n);
            FloatVector vt = FloatVector.broadcast(S, total);
            int i = 0;
            for (; i < bound; i += L) {
                FloatVector e = FloatVector.fromMemorySegment(S, y, (yo + i) * 4, NO).lanewise(VectorOperators.EXP);
                FloatVector.fromMemorySegment(S, g, (go + i) * 4, NO).sub(e.mul(vt)).intoMemorySegment(gx, (gxo + i) * 4, NO);
            }
            for (; i < n; i++) {
                gx.setAtIndex(F, gxo + i, g.getAtIndex(F, go + i) - (float) Math.exp(y.getAtIndex(F, yo + i)) * total);
            }
            return;
        }
        float dot = (float) dotF32(g, go, y, yo, n);
        FloatVector vd = FloatVector.broadcast(S, dot);
        int i = 0;
        for (; i < bound; i += L) {
            FloatVector yv = FloatVector.fromMemorySegment(S, y, (yo + i) * 4, NO);
            FloatVector gv = FloatVector.fromMemorySegment(S, g, (go + i) * 4, NO);
            yv.mul(gv.sub(vd)).intoMemorySegment(gx, (gxo + i) * 4, NO);
        }
        for (; i < n; i++) {
            gx.setAtIndex(F, gxo + i, y.getAtIndex(F, yo + i) * (g.getAtIndex(F, go + i) - dot));
        }
    }

    /** F64 version of {@link #softmaxBackwardF32}. */
    public static void softmaxBackwardF64(MemorySegment y, long yo, MemorySegment g, long go, MemorySegment gx,
                                          long gxo, int n, boolean log) {
        double acc = 0;
        for (int i = 0; i < n; i++) {
            acc += log ? g.getAtIndex(D, go + i) : g.getAtIndex(D, go + i) * y.getAtIndex(D, yo + i);
        }
        for (int i = 0; i < n; i++) {
            double yi = y.getAtIndex(D, yo + i);
            double gi = g.getAtIndex(D, go + i);
            gx.setAtIndex(D, gxo + i, log ? gi - Math.exp(yi) * acc : yi * (gi - acc));
        }
    }

    // ------------------------------------------------------------------ row statistics

    /** The largest of {@code n >= 1} F32 elements (NaN if any element is NaN). */
    public static float maxF32(MemorySegment x, long xo, int n) {
        FloatVector m0 = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        FloatVector m1 = m0;
        int i = 0;
        for (int bound = n - n % (2 * L); i < bound; i += 2 * L) {
            m0 = m0.max(FloatVector.fromMemorySegment(S, x, (xo + i) * 4, NO));
            m1 = m1.max(FloatVector.fromMemorySegment(S, x, (xo + i + L) * 4, NO));
        }
        float m = m0.max(m1).reduceLanes(VectorOperators.MAX);
        for (; i < n; i++) {
            m = Math.max(m, x.getAtIndex(F, xo + i));
        }
        return m;
    }

    public static double maxF64(MemorySegment x, long xo, int n) {
        double m = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            m = Math.max(m, x.getAtIndex(D, xo + i));
        }
        return m;
    }

    /** {@code sum(exp(x - shift))} over one F32 row, accumulated block-wise into a double. */
    public static double sumExpF32(MemorySegment x, long xo, int n, float shift) {
        return expShiftedF32(x, xo, n, shift, null, 0);
    }

    public static double sumExpF64(MemorySegment x, long xo, int n, double shift) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += Math.exp(x.getAtIndex(D, xo + i) - shift);
        }
        return s;
    }

    /** {@code sum(x)} over one F32 row, block-wise into a double. */
    public static double sumF32(MemorySegment x, long xo, int n) {
        double total = 0;
        int i = 0;
        while (n - i >= 4 * L) {
            int end = i + Math.min(BLOCK, (n - i) - (n - i) % (4 * L));
            FloatVector s0 = FloatVector.zero(S);
            FloatVector s1 = s0;
            FloatVector s2 = s0;
            FloatVector s3 = s0;
            for (; i < end; i += 4 * L) {
                long b = (xo + i) * 4;
                s0 = s0.add(FloatVector.fromMemorySegment(S, x, b, NO));
                s1 = s1.add(FloatVector.fromMemorySegment(S, x, b + 4L * L, NO));
                s2 = s2.add(FloatVector.fromMemorySegment(S, x, b + 8L * L, NO));
                s3 = s3.add(FloatVector.fromMemorySegment(S, x, b + 12L * L, NO));
            }
            total += s0.add(s1).add(s2.add(s3)).reduceLanes(VectorOperators.ADD);
        }
        for (; i < n; i++) {
            total += x.getAtIndex(F, xo + i);
        }
        return total;
    }

    /** {@code sum(a * b)} over one F32 row pair, block-wise into a double. */
    public static double dotF32(MemorySegment a, long ao, MemorySegment b, long bo, int n) {
        double total = 0;
        int i = 0;
        while (n - i >= 2 * L) {
            int end = i + Math.min(BLOCK, (n - i) - (n - i) % (2 * L));
            FloatVector s0 = FloatVector.zero(S);
            FloatVector s1 = s0;
            for (; i < end; i += 2 * L) {
                s0 = FloatVector.fromMemorySegment(S, a, (ao + i) * 4, NO)
                        .fma(FloatVector.fromMemorySegment(S, b, (bo + i) * 4, NO), s0);
                s1 = FloatVector.fromMemorySegment(S, a, (ao + i + L) * 4, NO)
                        .fma(FloatVector.fromMemorySegment(S, b, (bo + i + L) * 4, NO), s1);
            }
            total += s0.add(s1).reduceLanes(VectorOperators.ADD);
        }
        for (; i < n; i++) {
            total += (double) a.getAtIndex(F, ao + i) * b.getAtIndex(F, bo + i);
        }
        return total;
    }

    /**
     * {@code sum(exp(x - shift))}; when {@code out} is not null the terms are also stored there (at {@code oo}).
     * Blocks of {@link #BLOCK} elements sum in float vectors, then into a double.
     */
    public static double expShiftedF32(MemorySegment x, long xo, int n, float shift, MemorySegment out, long oo) {
        FloatVector vs = FloatVector.broadcast(S, shift);
        double total = 0;
        int i = 0;
        while (n - i >= 2 * L) {
            int end = i + Math.min(BLOCK, (n - i) - (n - i) % (2 * L));
            FloatVector s0 = FloatVector.zero(S);
            FloatVector s1 = s0;
            for (; i < end; i += 2 * L) {
                FloatVector e0 = FloatVector.fromMemorySegment(S, x, (xo + i) * 4, NO).sub(vs).lanewise(VectorOperators.EXP);
                FloatVector e1 = FloatVector.fromMemorySegment(S, x, (xo + i + L) * 4, NO).sub(vs).lanewise(VectorOperators.EXP);
                if (out != null) {
                    e0.intoMemorySegment(out, (oo + i) * 4, NO);
                    e1.intoMemorySegment(out, (oo + i + L) * 4, NO);
                }
                s0 = s0.add(e0);
                s1 = s1.add(e1);
            }
            total += s0.add(s1).reduceLanes(VectorOperators.ADD);
        }
        for (; i < n; i++) {
            float e = (float) Math.exp(x.getAtIndex(F, xo + i) - shift);
            if (out != null) {
                out.setAtIndex(F, oo + i, e);
            }
            total += e;
        }
        return total;
    }
}
