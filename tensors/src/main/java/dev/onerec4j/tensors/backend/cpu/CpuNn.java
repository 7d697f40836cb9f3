package dev.onerec4j.tensors.backend.cpu;

import dev.onerec4j.kernels.IndexKernels;
import dev.onerec4j.kernels.LossKernels;
import dev.onerec4j.kernels.NormKernels;
import dev.onerec4j.kernels.Parallel;
import dev.onerec4j.kernels.SoftmaxKernels;
import dev.onerec4j.tensors.DType;
import dev.onerec4j.tensors.Shapes;
import dev.onerec4j.tensors.Tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Softmax, RMSNorm and cross-entropy primitives: layout and dtype checks here, rows split into coarse blocks
 * over the worker pool, the per-row arithmetic in {@link SoftmaxKernels}, {@link NormKernels} and
 * {@link LossKernels}.
 */
final class CpuNn {

    /** Upper bound on the row blocks whose weight-gradient partials the RMSNorm backward sums. */
    private static final int MAX_WEIGHT_GRAD_PARTS = 16;

    private CpuNn() {
    }

    static void softmax(Tensor x, Tensor out, boolean log) {
        String op = log ? "logSoftmax" : "softmax";
        DType dt = Operands.floating(op, "input", x);
        Operands.requireContiguous(op, "input", x);
        Operands.requireLike(op, "output", out, x);
        int d = Operands.lastDim(x);
        int rows = Operands.rows(x);
        MemorySegment xs = x.segment();
        MemorySegment os = out.segment();
        long xo = x.offset();
        long oo = out.offset();
        if (d == 0) {
            return;
        }
        Parallel.forRange(rows, Operands.rowGrain(d), (from, to) -> {
            for (int r = from; r < to; r++) {
                long base = (long) r * d;
                if (dt == DType.F32) {
                    SoftmaxKernels.softmaxF32(xs, xo + base, os, oo + base, d, log);
                } else {
                    SoftmaxKernels.softmaxF64(xs, xo + base, os, oo + base, d, log);
                }
            }
        });
    }

    static void softmaxBackward(Tensor y, Tensor gradY, Tensor gradX, boolean log) {
        String op = log ? "logSoftmaxBackward" : "softmaxBackward";
        DType dt = Operands.floating(op, "output", y);
        Operands.requireContiguous(op, "output", y);
        Operands.requireLike(op, "output gradient", gradY, y);
        Operands.requireLike(op, "input gradient", gradX, y);
        int d = Operands.lastDim(y);
        int rows = Operands.rows(y);
        MemorySegment ys = y.segment();
        MemorySegment gs = gradY.segment();
        MemorySegment xs = gradX.segment();
        long yo = y.offset();
        long go = gradY.offset();
        long xo = gradX.offset();
        if (d == 0) {
            return;
        }
        Parallel.forRange(rows, Operands.rowGrain(d), (from, to) -> {
            for (int r = from; r < to; r++) {
                long base = (long) r * d;
                if (dt == DType.F32) {
                    SoftmaxKernels.softmaxBackwardF32(ys, yo + base, gs, go + base, xs, xo + base, d, log);
                } else {
                    SoftmaxKernels.softmaxBackwardF64(ys, yo + base, gs, go + base, xs, xo + base, d, log);
                }
            }
        });
    }

    static void rmsNorm(Tensor x, Tensor weight, double eps, Tensor out, Tensor rstd) {
        String op = "rmsNorm";
        DType dt = Operands.floating(op, "input", x);
        int d = Operands.lastDim(x);
        int rows = Operands.rows(x);
        checkNormOperands(op, x, weight, rstd, dt, d, rows);
        Operands.requireLike(op, "output", out, x);
        if (!(eps >= 0) || Double.isInfinite(eps)) {
            throw new IllegalArgumentException(op + ": eps must be a finite number >= 0, got " + eps);
        }
        MemorySegment xs = x.segment();
        MemorySegment ws = weight.segment();
        MemorySegment os = out.segment();
        MemorySegment rs = rstd.segment();
        long xo = x.offset();
        long wo = weight.offset();
        long oo = out.offset();
        long ro = rstd.offset();
        Parallel.forRange(rows, Operands.rowGrain(d), (from, to) -> {
            for (int r = from; r < to; r++) {
                long base = (long) r * d;
                if (dt == DType.F32) {
                    float v = NormKernels.rmsNormF32(xs, xo + base, ws, wo, eps, os, oo + base, d);
                    rs.setAtIndex(ValueLayout.JAVA_FLOAT, ro + r, v);
                } else {
                    double v = NormKernels.rmsNormF64(xs, xo + base, ws, wo, eps, os, oo + base, d);
                    rs.setAtIndex(ValueLayout.JAVA_DOUBLE, ro + r, v);
                }
            }
        });
    }

    /**
     * The weight gradient is a sum over rows. Rows are cut into a fixed number of blocks that depends only on
     * the shape; each block sums into its own partial and the partials are added in block order, so the result
     * is the same bit for bit whatever the thread count.
     */
    static void rmsNormBackward(Tensor x, Tensor weight, Tensor rstd, Tensor gradOut, Tensor gradX, Tensor gradWeight) {
        String op = "rmsNormBackward";
        DType dt = Operands.floating(op, "input", x);
        int d = Operands.lastDim(x);
        int rows = Operands.rows(x);
        checkNormOperands(op, x, weight, rstd, dt, d, rows);
        Operands.requireLike(op, "output gradient", gradOut, x);
        Operands.requireLike(op, "input gradient", gradX, x);
        Operands.requireLike(op, "weight gradient", gradWeight, weight);
        if (rows == 0 || d == 0) {
            return;
        }
        int rowsPerPart = Math.max((rows + MAX_WEIGHT_GRAD_PARTS - 1) / MAX_WEIGHT_GRAD_PARTS, Operands.rowGrain(d));
        int parts = (rows + rowsPerPart - 1) / rowsPerPart;
        MemorySegment gwTarget;
        long gwBase;
        if (parts == 1) {
            gwTarget = gradWeight.segment();
            gwBase = gradWeight.offset();
        } else {
            gwTarget = dt == DType.F32 ? MemorySegment.ofArray(new float[parts * d])
                    : MemorySegment.ofArray(new double[parts * d]);
            gwBase = 0;
        }
        MemorySegment xs = x.segment();
        MemorySegment ws = weight.segment();
        MemorySegment rs = rstd.segment();
        MemorySegment gs = gradOut.segment();
        MemorySegment gxs = gradX.segment();
        long xo = x.offset();
        long wo = weight.offset();
        long ro = rstd.offset();
        long go = gradOut.offset();
        long gxo = gradX.offset();
        Parallel.forRange(parts, 1, (fromPart, toPart) -> {
            for (int part = fromPart; part < toPart; part++) {
                long gwo = gwBase + (long) part * d;
                int end = Math.min(rows, (part + 1) * rowsPerPart);
                for (int r = part * rowsPerPart; r < end; r++) {
                    long base = (long) r * d;
                    if (dt == DType.F32) {
                        float rv = rs.getAtIndex(ValueLayout.JAVA_FLOAT, ro + r);
                        NormKernels.rmsNormBackwardF32(xs, xo + base, ws, wo, rv, gs, go + base, gxs, gxo + base,
                                gwTarget, gwo, d);
                    } else {
                        double rv = rs.getAtIndex(ValueLayout.JAVA_DOUBLE, ro + r);
                        NormKernels.rmsNormBackwardF64(xs, xo + base, ws, wo, rv, gs, go + base, gxs, gxo + base,
                                gwTarget, gwo, d);
                    }
                }
            }
        });
        if (parts > 1) {
            MemorySegment gw = gradWeight.segment();
            long gwo = gradWeight.offset();
            for (int part = 0; part < parts; part++) {
                if (dt == DType.F32) {
                    IndexKernels.addRowF32(gwTarget, (long) part * d, gw, gwo, d);
                } else {
                    IndexKernels.addRowF64(gwTarget, (long) part * d, gw, gwo, d);
                }
            }
        }
    }

    private static void checkNormOperands(String op, Tensor x, Tensor weight, Tensor rstd, DType dt, int d, int rows) {
        if (x.rank() == 0) {
            throw new IllegalArgumentException(op + ": the input needs at least one axis (the features), got a scalar");
        }
        Operands.requireContiguous(op, "input", x);
        Operands.requireDType(op, "weight", weight, dt);
        Operands.requireShape(op, "weight", weight, new int[] {d});
        Operands.requireContiguous(op, "weight", weight);
        Operands.requireDType(op, "rstd", rstd, dt);
        Operands.requireNumel(op, "rstd (one value per row of input " + Shapes.str(x.shape()) + ")", rstd, rows);
        Operands.requireContiguous(op, "rstd", rstd);
    }

    static void crossEntropy(Tensor logits, Tensor targets, int ignoreIndex, double smoothing, Tensor loss,
                             Tensor gradLogits) {
        String op = "crossEntropy";
        DType dt = Operands.floating(op, "logits", logits);
        if (logits.rank() == 0) {
            throw new IllegalArgumentException(op + ": the logits need a class axis, got a scalar");
        }
        int classes = logits.dim(-1);
        int rows = Operands.rows(logits);
        Operands.requireContiguous(op, "logits", logits);
        Operands.requireDType(op, "targets", targets, DType.I32);
        Operands.requireNumel(op, "targets (one class per row of logits " + Shapes.str(logits.shape()) + ")",
                targets, rows);
        Operands.requireContiguous(op, "targets", targets);
        Operands.requireDType(op, "loss", loss, dt);
        Operands.requireNumel(op, "loss (one value per row of logits " + Shapes.str(logits.shape()) + ")", loss, rows);
        Operands.requireContiguous(op, "loss", loss);
        if (gradLogits != null) {
            Operands.requireLike(op, "logits gradient", gradLogits, logits);
        }
        if (!(smoothing >= 0 && smoothing <= 1)) {
            throw new IllegalArgumentException(op + ": label smoothing must be in [0, 1], got " + smoothing);
        }
        MemorySegment ts = targets.segment();
        long to0 = targets.offset();
        for (int r = 0; r < rows; r++) {
            int t = ts.getAtIndex(ValueLayout.JAVA_INT, to0 + r);
            if (t != ignoreIndex && (t < 0 || t >= classes)) {
                throw new IndexOutOfBoundsException(op + ": target " + t + " at position " + r + " is out of range for "
                        + classes + " classes (logits " + Shapes.str(logits.shape()) + ", ignoreIndex " + ignoreIndex
                        + ")");
            }
        }
        MemorySegment xs = logits.segment();
        MemorySegment ls = loss.segment();
        MemorySegment gs = gradLogits == null ? null : gradLogits.segment();
        long xo = logits.offset();
        long lo = loss.offset();
        long go = gradLogits == null ? 0 : gradLogits.offset();
        long rowBytes = (long) classes * dt.byteSize();
        Parallel.forRange(rows, Operands.rowGrain(classes), (from, to) -> {
            for (int r = from; r < to; r++) {
                int t = ts.getAtIndex(ValueLayout.JAVA_INT, to0 + r);
                long base = (long) r * classes;
                double value;
                if (t == ignoreIndex) {
                    value = 0;
                    if (gs != null) {
                        gs.asSlice((go + base) * dt.byteSize(), rowBytes).fill((byte) 0);
                    }
                } else if (dt == DType.F32) {
                    value = LossKernels.crossEntropyF32(xs, xo + base, classes, t, smoothing, gs, go + base);
                } else {
                    value = LossKernels.crossEntropyF64(xs, xo + base, classes, t, smoothing, gs, go + base);
                }
                CpuCopy.write(ls, dt, lo + r, value);
            }
        });
    }
}
