package dev.onerec4j.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * RMSNorm over one contiguous row of {@code n} elements: {@code y = x / sqrt(mean(x^2) + eps) * w}, forward
 * and backward. Offsets count elements. Sums of squares and dot products accumulate in float vectors over
 * bounded blocks and then in double (see {@link SoftmaxKernels}).
 */
public final class NormKernels {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final ByteOrder NO = ByteOrder.nativeOrder();
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT;
    private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE;

    private NormKernels() {
    }

    /** Normalises one F32 row into {@code out} and returns {@code 1 / rms}, the value the backward needs. */
    public static float rmsNormF32(MemorySegment x, long xo, MemorySegment w, long wo, double eps,
                                   MemorySegment out, long oo, int n) {
        double meanSquare = SoftmaxKernels.dotF32(x, xo, x, xo, n) / n;
        float rstd = (float) (1.0 / Math.sqrt(meanSquare + eps));
        FloatVector vr = FloatVector.broadcast(S, rstd);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector xv = FloatVector.fromMemorySegment(S, x, (xo + i) * 4, NO);
            FloatVector wv = FloatVector.fromMemorySegment(S, w, (wo + i) * 4, NO);
            xv.mul(vr).mul(wv).intoMemorySegment(out, (oo + i) * 4, NO);
        }
        for (; i < n; i++) {
            out.setAtIndex(F, oo + i, x.getAtIndex(F, xo + i) * rstd * w.getAtIndex(F, wo + i));
        }
        return rstd;
    }

    /** F64 version of {@link #rmsNormF32}. */
    public static double rmsNormF64(MemorySegment x, long xo, MemorySegment w, long wo, double eps,
                                    MemorySegment out, long oo, int n) {
        double ss = 0;
        for (int i = 0; i < n; i++) {
            double v = x.getAtIndex(D, xo + i);
            ss += v * v;
        }
        double rstd = 1.0 / Math.sqrt(ss / n + eps);
        for (int i = 0; i < n; i++) {
            out.setAtIndex(D, oo + i, x.getAtIndex(D, xo + i) * rstd * w.getAtIndex(D, wo + i));
        }
        return rstd;
    }

    /**
     * Backward of one F32 row given its saved {@code rstd} = 1/rms and the output gradient {@code g}:
     * {@code gx = rstd * (g * w - x * rstd^2 * mean(g * w * x))}, and {@code gw += g * x * rstd}
     * ({@code gw} is a running sum over rows).
     */
    public static void rmsNormBackwardF32(MemorySegment x, long xo, MemorySegment w, long wo, float rstd,
                                          MemorySegment g, long go, MemorySegment gx, long gxo,
                                          MemorySegment gw, long gwo, int n) {
        double dot = 0;
        FloatVector d0 = FloatVector.zero(S);
        FloatVector d1 = d0;
        int bound2 = n - n % (2 * L);
        int i = 0;
        // Pass 1: dot = sum(g * w * x) (float blocks into double), and the weight gradient.
        FloatVector vr = FloatVector.broadcast(S, rstd);
        while (i < bound2) {
            int blockEnd = Math.min(bound2, i + SoftmaxKernels.BLOCK);
            for (; i < blockEnd; i += 2 * L) {
                FloatVector x0 = FloatVector.fromMemorySegment(S, x, (xo + i) * 4, NO);
                FloatVector x1 = FloatVector.fromMemorySegment(S, x, (xo + i + L) * 4, NO);
                FloatVector g0 = FloatVector.fromMemorySegment(S, g, (go + i) * 4, NO);
                FloatVector g1 = FloatVector.fromMemorySegment(S, g, (go + i + L) * 4, NO);
                FloatVector gx0 = g0.mul(x0);
                FloatVector gx1 = g1.mul(x1);
                d0 = gx0.fma(FloatVector.fromMemorySegment(S, w, (wo + i) * 4, NO), d0);
                d1 = gx1.fma(FloatVector.fromMemorySegment(S, w, (wo + i + L) * 4, NO), d1);
                gx0.fma(vr, FloatVector.fromMemorySegment(S, gw, (gwo + i) * 4, NO)).intoMemorySegment(gw, (gwo + i) * 4, NO);
                gx1.fma(vr, FloatVector.fromMemorySegment(S, gw, (gwo + i + L) * 4, NO)).intoMemorySegment(gw, (gwo + i + L) * 4, NO);
            }
            dot += d0.add(d1).reduceLanes(VectorOperators.ADD);
            d0 = FloatVector.zero(S);
            d1 = d0;
        }
        for (; i < n; i++) {
            float gxi = g.getAtIndex(F, go + i) * x.getAtIndex(F, xo + i);
            dot += (double) gxi * w.getAtIndex(F, wo + i);
            gw.setAtIndex(F, gwo + i, gw.getAtIndex(F, gwo + i) + gxi * rstd);
        }
        // Pass 2: gx = rstd * g * w - c * x with c = rstd^3 * dot / n.
        float c = (float) ((double) rstd * rstd * rstd * dot / n);
        FloatVector vc = FloatVector.broadcast(S, c);
        i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector xv = FloatVector.fromMemorySegment(S, x, (xo + i) * 4, NO);
            FloatVector gv = FloatVector.fromMemorySegment(S, g, (go + i) * 4, NO);
            FloatVector wv = FloatVector.fromMemorySegment(S, w, (wo + i) * 4, NO);
            gv.mul(wv).mul(vr).sub(xv.mul(vc)).intoMemorySegment(gx, (gxo + i) * 4, NO);
        }
        for (; i < n; i++) {
            gx.setAtIndex(F, gxo + i, g.getAtIndex(F, go + i) * w.getAtIndex(F, wo + i) * rstd
                    - x.getAtIndex(F, xo + i) * c);
        }
    }

    /** F64 version of {@link #rmsNormBackwardF32}. */
    public static void rmsNormBackwardF64(MemorySegment x, long xo, MemorySegment w, long wo, double rstd,
                                          MemorySegment g, long go, MemorySegment gx, long gxo,
                                          MemorySegment gw, long gwo, int n) {
        double dot = 0;
        for (int i = 0; i < n; i++) {
            double gxi = g.getAtIndex(D, go + i) * x.getAtIndex(D, xo + i);
            dot += gxi * w.getAtIndex(D, wo + i);
            gw.setAtIndex(D, gwo + i, gw.getAtIndex(D, gwo + i) + gxi * rstd);
        }
        double c = rstd * rstd * rstd * dot / n;
        for (int i = 0; i < n; i++) {
            gx.setAtIndex(D, gxo + i, g.getAtIndex(D, go + i) * w.getAtIndex(D, wo + i) * rstd
                    - x.getAtIndex(D, xo + i) * c);
        }
    }
}
