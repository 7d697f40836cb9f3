package dev.onerec4j.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Fused optimizer updates over contiguous runs of {@code n} elements; each operand has its own element offset.
 * AdamW (Loshchilov and Hutter): the weight decay is decoupled from the gradient, applied to the parameter
 * directly before the Adam step, and the moments see only the gradient:
 * <pre>
 *   p -= lr * wd * p
 *   m  = beta1 * m + (1 - beta1) * g
 *   v  = beta2 * v + (1 - beta2) * g^2
 *   p -= lr * (m / bias1) / (sqrt(v / bias2) + eps)      with bias1 = 1 - beta1^t, bias2 = 1 - beta2^t
 * </pre>
 */
public final class OptimizerKernels {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final ByteOrder NO = ByteOrder.nativeOrder();
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT;
    private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE;

    private OptimizerKernels() {
    }

    /** One AdamW step over F32 operands. */
    public static void adamwF32(MemorySegment param, long po, MemorySegment grad, long go, MemorySegment m, long mo,
                                MemorySegment v, long vo, int n, double lr, double beta1, double beta2, double eps, double weightDecay,
                                double bias1, double bias2) {
        float decay = (float) (1.0 - lr * weightDecay);
        float b1 = (float) beta1;
        float c1 = (float) (1.0 - beta1);
        float b2 = (float) beta2;
        float c2 = (float) (1.0 - beta2);
        float step = (float) (lr / bias1);
        float invBias2 = (float) (1.0 / bias2);
        float e = (float) eps;
        FloatVector vDecay = FloatVector.broadcast(S, decay);
        FloatVector vb1 = FloatVector.broadcast(S, b1);
        FloatVector vc1 = FloatVector.broadcast(S, c1);
        FloatVector vb2 = FloatVector.broadcast(S, b2);
        FloatVector vc2 = FloatVector.broadcast(S, c2);
        FloatVector vStep = FloatVector.broadcast(S, step);
        FloatVector vInvBias2 = FloatVector.broadcast(S, invBias2);
        FloatVector vEps = FloatVector.broadcast(S, e);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector g = FloatVector.fromMemorySegment(S, grad, (go + i) * 4, NO);
            FloatVector mv = FloatVector.fromMemorySegment(S, m, (mo + i) * 4, NO).mul(vb1).add(g.mul(vc1));
            FloatVector vv = FloatVector.fromMemorySegment(S, v, (vo + i) * 4, NO).mul(vb2).add(g.mul(g).mul(vc2));
            FloatVector p = FloatVector.fromMemorySegment(S, param, (po + i) * 4, NO).mul(vDecay);
            FloatVector update = mv.mul(vStep).div(vv.mul(vInvBias2).sqrt().add(vEps));
            mv.intoMemorySegment(m, (mo + i) * 4, NO);
            vv.intoMemorySegment(v, (vo + i) * 4, NO);
            p.sub(update).intoMemorySegment(param, (po + i) * 4, NO);
        }
        for (; i < n; i++) {
            float g = grad.getAtIndex(F, go + i);
            float mv = m.getAtIndex(F, mo + i) * b1 + g * c1;
            float vv = v.getAtIndex(F, vo + i) * b2 + g * g * c2;
            float p = param.getAtIndex(F, po + i) * decay;
            m.setAtIndex(F, mo + i, mv);
            v.setAtIndex(F, vo + i, vv);
            param.setAtIndex(F, po + i, p - mv * step / ((float) Math.sqrt(vv * invBias2) + e));
        }
    }

    /** One AdamW step over F64 operands (scalar). */
    public static void adamwF64(MemorySegment param, long po, MemorySegment grad, long go, MemorySegment m, long mo,
                                MemorySegment v, long vo, int n, double lr, double beta1, double beta2, double eps, double weightDecay,
                                double bias1, double bias2) {
        double decay = 1.0 - lr * weightDecay;
        for (int i = 0; i < n; i++) {
            double g = grad.getAtIndex(D, go + i);
            double mv = beta1 * m.getAtIndex(D, mo + i) + (1 - beta1) * g;
            double vv = beta2 * v.getAtIndex(D, vo + i) + (1 - beta2) * g * g;
            m.setAtIndex(D, mo + i, mv);
            v.setAtIndex(D, vo + i, vv);
            double p = param.getAtIndex(D, po + i) * decay;
            param.setAtIndex(D, po + i, p - lr * (mv / bias1) / (Math.sqrt(vv / bias2) + eps));
        }
    }
}
