package dev.onerec4j.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Cross-entropy with label smoothing over one contiguous row of {@code n} logits, fused with its gradient.
 * With {@code lse = log(sum(exp(x)))} and {@code -log p[j] = lse - x[j]}:
 * {@code loss = (1 - s) * (lse - x[t]) + s * (lse - mean(x))} and
 * {@code d loss / d x[j] = softmax(x)[j] - s / n - (1 - s) * [j == t]}. The target must be a valid class;
 * ignored rows are the caller's business.
 */
public final class LossKernels {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final ByteOrder NO = ByteOrder.nativeOrder();
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT;
    private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE;

    private LossKernels() {
    }

    /** Returns the row's loss; when {@code grad} is not null, writes {@code d loss / d x} there. */
    public static double crossEntropyF32(MemorySegment x, long xo, int n, int target, double smoothing,
                                         MemorySegment grad, long go) {
        float max = SoftmaxKernels.maxF32(x, xo, n);
        // With a gradient buffer the exponentials are kept there, so each logit is exponentiated once.
        double sumExp = SoftmaxKernels.expShiftedF32(x, xo, n, max, grad, go);
        double logSum = Math.log(sumExp);
        // Work with shifted logits x - max: lse - x[j] = logSum - (x[j] - max).
        double loss = (1 - smoothing) * (logSum - ((double) x.getAtIndex(F, xo + target) - max));
        if (smoothing != 0) {
            double meanShifted = SoftmaxKernels.sumF32(x, xo, n) / n - max;
            loss += smoothing * (logSum - meanShifted);
        }
        if (grad != null) {
            float inv = (float) (1.0 / sumExp);
            float uniform = (float) (smoothing / n);
            FloatVector vi = FloatVector.broadcast(S, inv);
            FloatVector vu = FloatVector.broadcast(S, uniform);
            int i = 0;
            for (int bound = S.loopBound(n); i < bound; i += L) {
                FloatVector.fromMemorySegment(S, grad, (go + i) * 4, NO).mul(vi).sub(vu)
                        .intoMemorySegment(grad, (go + i) * 4, NO);
            }
            for (; i < n; i++) {
                grad.setAtIndex(F, go + i, grad.getAtIndex(F, go + i) * inv - uniform);
            }
            grad.setAtIndex(F, go + target, grad.getAtIndex(F, go + target) - (float) (1 - smoothing));
        }
        return loss;
    }

    /** F64 version of {@link #crossEntropyF32} (scalar; used by gradient checks). */
    public static double crossEntropyF64(MemorySegment x, long xo, int n, int target, double smoothing,
                                         MemorySegment grad, long go) {
        double max = SoftmaxKernels.maxF64(x, xo, n);
        double logSum = Math.log(SoftmaxKernels.sumExpF64(x, xo, n, max));
        double loss = (1 - smoothing) * (logSum - (x.getAtIndex(D, xo + target) - max));
        if (smoothing != 0) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += x.getAtIndex(D, xo + i);
            }
            loss += smoothing * (logSum - (sum / n - max));
        }
        if (grad != null) {
            double uniform = smoothing / n;
            for (int i = 0; i < n; i++) {
                grad.setAtIndex(D, go + i, Math.exp((x.getAtIndex(D, xo + i) - max) - logSum) - uniform);
            }
            grad.setAtIndex(D, go + target, grad.getAtIndex(D, go + target) - (1 - smoothing));
        }
        return loss;
    }
}
