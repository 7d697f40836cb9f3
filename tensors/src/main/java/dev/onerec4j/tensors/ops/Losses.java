package dev.onerec4j.tensors.ops;

import dev.onerec4j.tensors.Autograd;
import dev.onerec4j.tensors.DType;
import dev.onerec4j.tensors.GradMode;
import dev.onerec4j.tensors.Shapes;
import dev.onerec4j.tensors.Tensor;

import java.util.Arrays;

/** Training losses: cross-entropy with ignore-index and label smoothing, binary cross-entropy on logits, MSE. */
public final class Losses {

    /** Passed to the primitive when nothing is ignored; the targets were checked, so none equals it. */
    private static final int NO_IGNORE = Integer.MIN_VALUE;

    private Losses() {
    }

    // ------------------------------------------------------------------ cross-entropy

    /**
     * Mean cross-entropy of {@code logits [..., V]} against class indices {@code targets} (I32, shape
     * {@code [...]}) over the positions whose target is not {@code ignoreIndex}; rank 0. With label smoothing
     * {@code s} each position's loss is {@code (1 - s) * -log p[target] + s * mean_j(-log p[j])}. When every
     * position is ignored the loss is 0 (with a zero gradient) rather than 0/0.
     */
    public static Tensor crossEntropy(Tensor logits, Tensor targets, int ignoreIndex, double labelSmoothing) {
        long[] counted = new long[1];
        Tensor perPosition = perPosition(logits, targets, ignoreIndex, true, labelSmoothing, counted);
        return Arith.scale(Reduce.sum(perPosition), counted[0] == 0 ? 0.0 : 1.0 / counted[0]);
    }

    /** Mean cross-entropy over all positions, without ignored positions or smoothing: every target must be a class. */
    public static Tensor crossEntropy(Tensor logits, Tensor targets) {
        long[] counted = new long[1];
        Tensor perPosition = perPosition(logits, targets, NO_IGNORE, false, 0.0, counted);
        return Arith.scale(Reduce.sum(perPosition), counted[0] == 0 ? 0.0 : 1.0 / counted[0]);
    }

    /**
     * Per-position cross-entropy (shape {@code [...]} of the targets): 0 at ignored positions, whose logits also
     * get no gradient. Same definition as {@link #crossEntropy(Tensor, Tensor, int, double)}.
     */
    public static Tensor crossEntropyPerPosition(Tensor logits, Tensor targets, int ignoreIndex, double labelSmoothing) {
        return perPosition(logits, targets, ignoreIndex, true, labelSmoothing, new long[1]);
    }

    private static Tensor perPosition(Tensor logits, Tensor targets, int ignoreIndex, boolean ignoring,
                                      double labelSmoothing, long[] counted) {
        String op = "crossEntropy";
        Arith.requireFloating(op + " (logits)", logits);
        Shapes.requireSameDevice(op, logits, targets);
        if (logits.rank() == 0) {
            throw new IllegalArgumentException(op + ": the logits need a class axis, got a scalar");
        }
        if (targets.dtype() != DType.I32) {
            throw new IllegalArgumentException(op + ": the targets must be I32 class indices, got " + targets.dtype());
        }
        int[] rowShape = Arrays.copyOf(logits.shape(), logits.rank() - 1);
        if (!Arrays.equals(rowShape, targets.shape())) {
            throw new IllegalArgumentException(op + ": targets of shape " + Shapes.str(targets.shape())
                    + " do not match logits " + Shapes.str(logits.shape()) + " (expected targets " + Shapes.str(rowShape)
                    + ")");
        }
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
            throw new IllegalArgumentException(op + ": label smoothing must be in [0, 1], got " + labelSmoothing);
        }
        counted[0] = checkTargets(op, targets, logits.dim(-1), ignoring, ignoreIndex, logits.shape());
        Tensor lc = Raw.rows(Raw.contiguous(logits));
        Tensor tc = Raw.view(Raw.contiguous(targets), lc.dim(0));
        Tensor loss = Tensor.emptyLike(logits, rowShape);
        Tensor grad = Autograd.needsGrad(logits) ? Tensor.emptyLike(lc, lc.shape()) : null;
        logits.backend().crossEntropy(lc, tc, ignoring ? ignoreIndex : NO_IGNORE, labelSmoothing,
                Raw.view(loss, lc.dim(0)), grad);
        int[] logitShape = logits.shape();
        return Autograd.record(loss, op, g -> new Tensor[] {
                Arith.mul(Raw.view(grad, logitShape), Views.unsqueeze(g, g.rank()))}, logits);
    }

    /** Every target must be a class in {@code [0, classes)} or the ignore index; returns how many are not ignored. */
    private static long checkTargets(String op, Tensor targets, int classes, boolean ignoring, int ignoreIndex,
                                     int[] logitShape) {
        int[] t = targets.toIntArray();
        long counted = 0;
        for (int i = 0; i < t.length; i++) {
            if (ignoring && t[i] == ignoreIndex) {
                continue;
            }
            if (t[i] < 0 || t[i] >= classes) {
                throw new IndexOutOfBoundsException(op + ": target " + t[i] + " at position " + i + " of targets "
                        + Shapes.str(targets.shape()) + " is out of range for " + classes + " classes (logits "
                        + Shapes.str(logitShape) + (ignoring ? ", ignoreIndex " + ignoreIndex : "") + ")");
            }
            counted++;
        }
        return counted;
    }

    // ------------------------------------------------------------------ binary cross-entropy

    /**
     * Mean over all elements of {@link #binaryCrossEntropyWithLogitsPerElement}.
     */
    public static Tensor binaryCrossEntropyWithLogits(Tensor logits, Tensor targets, Tensor weights) {
        return Reduce.mean(binaryCrossEntropyWithLogitsPerElement(logits, targets, weights));
    }

    /**
     * Element-wise {@code w * -(t * log(sigmoid(x)) + (1 - t) * log(1 - sigmoid(x)))} for logits {@code x},
     * targets {@code t} in [0, 1] (same shape) and optional weights {@code w} (null = 1; broadcast to the logits'
     * shape). Computed as {@code max(x, 0) - x * t + log(1 + exp(-|x|))}, which neither overflows nor loses the
     * loss of confident wrong predictions. Differentiable in all three inputs.
     */
    public static Tensor binaryCrossEntropyWithLogitsPerElement(Tensor logits, Tensor targets, Tensor weights) {
        String op = "binaryCrossEntropyWithLogits";
        Arith.requireFloating(op + " (logits)", logits);
        Shapes.requireSameDType(op, logits, targets);
        if (!Arrays.equals(logits.shape(), targets.shape())) {
            throw new IllegalArgumentException(op + ": targets of shape " + Shapes.str(targets.shape())
                    + " do not match logits " + Shapes.str(logits.shape()));
        }
        if (weights != null) {
            Shapes.requireSameDType(op, logits, weights);
            if (!Arrays.equals(Shapes.broadcast(op, weights.shape(), logits.shape()), logits.shape())) {
                throw new IllegalArgumentException(op + ": weights of shape " + Shapes.str(weights.shape())
                        + " do not broadcast to the logits " + Shapes.str(logits.shape()));
            }
        }
        Tensor unweighted;
        Tensor loss;
        try (var g = GradMode.disabled()) {
            Tensor x = logits;
            Tensor softplusNegAbs = Arith.log(Arith.addScalar(Arith.exp(Arith.neg(Arith.abs(x))), 1.0));
            unweighted = Arith.add(Arith.sub(Arith.relu(x), Arith.mul(x, targets)), softplusNegAbs);
            loss = weights == null ? unweighted : Arith.mul(unweighted, weights);
        }
        int[] weightShape = weights == null ? null : weights.shape();
        return Autograd.record(loss, op, g -> {
            Tensor gw = weights == null ? g : Arith.mul(g, weights);
            return new Tensor[] {
                    logits.requiresGrad() ? Arith.mul(gw, Arith.sub(Arith.sigmoid(logits), targets)) : null,
                    targets.requiresGrad() ? Arith.neg(Arith.mul(gw, logits)) : null,
                    weights != null && weights.requiresGrad() ? Reduce.sumTo(Arith.mul(g, unweighted), weightShape)
                            : null};
        }, logits, targets, weights);
    }

    // ------------------------------------------------------------------ regression

    /** Mean squared error {@code mean((prediction - target)^2)} over all elements; the shapes must match. */
    public static Tensor mse(Tensor prediction, Tensor target) {
        if (!Arrays.equals(prediction.shape(), target.shape())) {
            throw new IllegalArgumentException("mse: prediction " + Shapes.str(prediction.shape())
                    + " and target " + Shapes.str(target.shape()) + " differ in shape");
        }
        return Reduce.mean(Arith.square(Arith.sub(prediction, target)));
    }
}
