package dev.onerec4j.tensors.ops;

import dev.onerec4j.tensors.Autograd;
import dev.onerec4j.tensors.DType;
import dev.onerec4j.tensors.GradMode;
import dev.onerec4j.tensors.MemoryScope;
import dev.onerec4j.tensors.Shapes;
import dev.onerec4j.tensors.Tensor;

import java.util.Arrays;

/**
 * Joining and cutting tensors (concat, split, stack) and picking elements by index (gather, indexSelect,
 * embedding, topK, argmax). Index tensors are I32; an index out of range throws, naming the op and the shapes.
 */
public final class Indexing {

    /** The {@code k} largest entries along the last axis: differentiable values and their I32 indices. */
    public record TopK(Tensor values, Tensor indices) {
    }

    private Indexing() {
    }

    // ------------------------------------------------------------------ concat, split, stack

    /** Joins tensors of equal shape except along {@code axis} (same dtype and device). */
    public static Tensor concat(int axis, Tensor... tensors) {
        if (tensors.length == 0) {
            throw new IllegalArgumentException("concat: needs at least one tensor");
        }
        Tensor first = tensors[0];
        int rank = first.rank();
        int ax = Shapes.axis(axis, rank, "concat");
        int[] shape = first.shape();
        int total = 0;
        for (int i = 0; i < tensors.length; i++) {
            Tensor t = tensors[i];
            Shapes.requireSameDType("concat", first, t);
            Shapes.requireSameDevice("concat", first, t);
            int[] s = t.shape();
            boolean ok = s.length == rank;
            for (int d = 0; ok && d < rank; d++) {
                ok = d == ax || s[d] == shape[d];
            }
            if (!ok) {
                throw new IllegalArgumentException("concat: tensor " + i + " has shape " + Shapes.str(s)
                        + ", which differs from tensor 0's " + Shapes.str(shape) + " outside axis " + ax);
            }
            total = Math.addExact(total, s[ax]);
        }
        shape[ax] = total;
        Tensor out = Tensor.emptyLike(first, shape);
        int[] starts = new int[tensors.length + 1];
        for (int i = 0; i < tensors.length; i++) {
            starts[i + 1] = starts[i] + tensors[i].dim(ax);
            Views.rawSlice(out, ax, starts[i], starts[i + 1]).copyFrom(tensors[i]);
        }
        return Autograd.record(out, "concat", g -> {
            Tensor[] grads = new Tensor[tensors.length];
            for (int i = 0; i < tensors.length; i++) {
                grads[i] = tensors[i].requiresGrad() ? Views.rawSlice(g, ax, starts[i], starts[i + 1]) : null;
            }
            return grads;
        }, tensors);
    }

    /** Cuts {@code t} along {@code axis} into consecutive pieces of the given sizes (views; they must add up). */
    public static Tensor[] split(Tensor t, int axis, int... sizes) {
        int ax = Shapes.axis(axis, t.rank(), "split");
        long sum = 0;
        for (int s : sizes) {
            if (s < 0) {
                throw new IllegalArgumentException("split: negative size in " + Arrays.toString(sizes));
            }
            sum += s;
        }
        if (sum != t.dim(ax)) {
            throw new IllegalArgumentException("split: sizes " + Arrays.toString(sizes) + " add up to " + sum
                    + ", but axis " + ax + " of " + Shapes.str(t.shape()) + " has " + t.dim(ax));
        }
        Tensor[] pieces = new Tensor[sizes.length];
        int start = 0;
        for (int i = 0; i < sizes.length; i++) {
            pieces[i] = Views.slice(t, ax, start, start + sizes[i]);
            start += sizes[i];
        }
        return pieces;
    }

    /** Stacks tensors of identical shape along a new axis {@code axis} (in {@code [-(rank+1), rank]}). */
    public static Tensor stack(int axis, Tensor... tensors) {
        if (tensors.length == 0) {
            throw new IllegalArgumentException("stack: needs at least one tensor");
        }
        int[] shape = tensors[0].shape();
        int ax = Shapes.axis(axis, shape.length + 1, "stack");
        Tensor[] expanded = new Tensor[tensors.length];
        for (int i = 0; i < tensors.length; i++) {
            if (!Arrays.equals(shape, tensors[i].shape())) {
                throw new IllegalArgumentException("stack: tensor " + i + " has shape " + Shapes.str(tensors[i].shape())
                        + ", tensor 0 has " + Shapes.str(shape) + " (all must match)");
            }
            expanded[i] = Views.unsqueeze(tensors[i], ax);
        }
        return concat(ax, expanded);
    }

    // ------------------------------------------------------------------ gather, indexSelect, embedding

    /**
     * {@code torch.gather}: {@code out[i][j][k] = t[i][index[i][j][k]][k]} for {@code axis = 1}, likewise for any
     * axis. {@code index} (I32) has {@code t}'s rank, and no larger size than {@code t} on the other axes; the
     * result has the index's shape. Differentiable in {@code t} (repeated indices accumulate).
     */
    public static Tensor gather(Tensor t, int axis, Tensor index) {
        String op = "gather";
        requireIndex(op, index);
        Shapes.requireSameDevice(op, t, index);
        int rank = t.rank();
        int ax = Shapes.axis(axis, rank, op);
        if (index.rank() != rank) {
            throw new IllegalArgumentException(op + ": the index " + Shapes.str(index.shape()) + " must have the rank of "
                    + "the input " + Shapes.str(t.shape()));
        }
        // Only the part of t that the index spans on the other axes takes part.
        Tensor src = t;
        for (int d = 0; d < rank; d++) {
            if (d != ax && index.dim(d) > t.dim(d)) {
                throw new IllegalArgumentException(op + ": the index " + Shapes.str(index.shape()) + " is larger than the "
                        + "input " + Shapes.str(t.shape()) + " on axis " + d);
            }
            if (d != ax && index.dim(d) < t.dim(d)) {
                src = Views.rawSlice(src, d, 0, index.dim(d));
            }
        }
        int[] order = Raw.axisToEnd(ax, rank);
        int[] inverse = Raw.inverse(order);
        Tensor srcLast = Raw.contiguous(Raw.permute(src, order));
        Tensor idxLast = Raw.contiguous(Raw.permute(index, order));
        Tensor outLast = Tensor.emptyLike(t, idxLast.shape());
        withIndexContext(op, t, index, () ->
                t.backend().gatherLast(Raw.rows(srcLast), Raw.rows(idxLast), Raw.rows(outLast)));
        Tensor out = Raw.contiguous(Raw.permute(outLast, inverse));
        int[] srcShape = src.shape();
        int[] inShape = t.shape();
        return Autograd.record(out, op, g -> {
            Tensor acc = Tensor.zerosLike(srcLast);
            Tensor gLast = Raw.contiguous(Raw.permute(g, order));
            acc.backend().scatterAddLast(Raw.rows(acc), Raw.rows(idxLast), Raw.rows(gLast));
            Tensor back = Raw.permute(acc, inverse);
            return new Tensor[] {padTo(back, srcShape, inShape)};
        }, t);
    }

    /**
     * The entries of {@code t} at positions {@code index} (I32, rank 1) along {@code axis}; that axis of the
     * result has the index's length. Differentiable in {@code t} (repeated indices accumulate).
     */
    public static Tensor indexSelect(Tensor t, int axis, Tensor index) {
        String op = "indexSelect";
        requireIndex(op, index);
        Shapes.requireSameDevice(op, t, index);
        if (index.rank() != 1) {
            throw new IllegalArgumentException(op + ": the index must be a vector (rank 1), got shape "
                    + Shapes.str(index.shape()));
        }
        int rank = t.rank();
        int ax = Shapes.axis(axis, rank, op);
        int m = index.dim(0);
        int[] order = Raw.axisToFront(ax, rank);
        int[] inverse = Raw.inverse(order);
        Tensor front = Raw.contiguous(Raw.permute(t, order));
        int n = front.dim(0);
        int w = Math.toIntExact(Shapes.numel(Arrays.copyOfRange(front.shape(), 1, rank)));
        int[] outFrontShape = front.shape();
        outFrontShape[0] = m;
        Tensor outFront = Tensor.emptyLike(t, outFrontShape);
        Tensor idx = Raw.contiguous(index);
        withIndexContext(op, t, index, () ->
                t.backend().indexSelect(Raw.view(front, n, w), idx, Raw.view(outFront, m, w)));
        Tensor out = Raw.contiguous(Raw.permute(outFront, inverse));
        int[] frontShape = front.shape();
        return Autograd.record(out, op, g -> {
            Tensor acc = Tensor.emptyLike(g, frontShape);
            acc.fill(0.0);
            Tensor gFront = Raw.contiguous(Raw.permute(g, order));
            acc.backend().indexAdd(Raw.view(acc, n, w), idx, Raw.view(gFront, m, w));
            return new Tensor[] {Raw.contiguous(Raw.permute(acc, inverse))};
        }, t);
    }

    /**
     * Rows of {@code weight [n, d]} picked by {@code indices} (I32, any shape): {@code [..., d]}. When the weight
     * is a leaf (a parameter), the backward adds only the touched rows into its gradient
     * ({@link Autograd#accumulateRows}) instead of building a dense {@code [n, d]} gradient.
     */
    public static Tensor embedding(Tensor weight, Tensor indices) {
        String op = "embedding";
        requireIndex(op, indices);
        Shapes.requireSameDevice(op, weight, indices);
        if (weight.rank() != 2) {
            throw new IllegalArgumentException(op + ": the weight must be [rows, dim], got shape "
                    + Shapes.str(weight.shape()));
        }
        int n = weight.dim(0);
        int d = weight.dim(1);
        int m = Math.toIntExact(indices.numel());
        Tensor idx = Raw.view(Raw.contiguous(indices), m);
        Tensor w = weight.stride(1) == 1 || d <= 1 ? weight : Raw.contiguous(weight);
        int[] outShape = Arrays.copyOf(indices.shape(), indices.rank() + 1);
        outShape[indices.rank()] = d;
        Tensor out = Tensor.emptyLike(weight, outShape);
        withIndexContext(op, weight, indices, () -> weight.backend().indexSelect(w, idx, Raw.view(out, m, d)));
        return Autograd.record(out, op, g -> {
            Tensor rows = Raw.view(Raw.contiguous(g), m, d);
            if (Autograd.isLeaf(weight)) {
                Autograd.accumulateRows(weight, idx, rows);
                return new Tensor[] {null};
            }
            Tensor dense = Tensor.emptyLike(g, n, d);
            dense.fill(0.0);
            dense.backend().indexAdd(dense, idx, rows);
            return new Tensor[] {dense};
        }, weight);
    }

    // ------------------------------------------------------------------ topK, argmax

    /**
     * The {@code k} largest entries along the last axis, in descending order (ties: lower index first; NaN
     * counts as largest): values {@code [..., k]} (differentiable: the gradient flows back to the picked
     * entries) and their I32 indices.
     */
    public static TopK topK(Tensor x, int k) {
        String op = "topK";
        Arith.requireFloating(op, x);
        if (x.rank() == 0) {
            throw new IllegalArgumentException(op + ": the input needs an axis to select along, got a scalar");
        }
        int n = x.dim(-1);
        if (k < 0 || k > n) {
            throw new IllegalArgumentException(op + ": k = " + k + " is out of range for a last axis of size " + n
                    + " (input " + Shapes.str(x.shape()) + ")");
        }
        Tensor xc = Raw.contiguous(x);
        int[] shape = x.shape();
        shape[shape.length - 1] = k;
        Tensor values = Tensor.emptyLike(x, shape);
        Tensor indices = Tensor.empty(DType.I32, x.device(), MemoryScope.current(), shape);
        x.backend().topK(Raw.rows(xc), k, Raw.rows(values), Raw.rows(indices));
        Autograd.record(values, op, g -> {
            Tensor acc = Tensor.zerosLike(xc);
            acc.backend().scatterAddLast(Raw.rows(acc), Raw.rows(indices), Raw.rows(Raw.contiguous(g)));
            return new Tensor[] {acc};
        }, x);
        return new TopK(values, indices);
    }

    /** Index of the largest entry along the last axis (the first one at ties), as I32 of shape {@code [...]}. */
    public static Tensor argmax(Tensor x) {
        if (x.rank() == 0 || x.dim(-1) == 0) {
            throw new IllegalArgumentException("argmax: needs a non-empty last axis, got shape " + Shapes.str(x.shape()));
        }
        Tensor indices;
        try (var g = GradMode.disabled()) {
            indices = topK(x, 1).indices();
        }
        return Raw.view(indices, Arrays.copyOf(x.shape(), x.rank() - 1));
    }

    // ------------------------------------------------------------------ helpers

    private static void requireIndex(String op, Tensor index) {
        if (index.dtype() != DType.I32) {
            throw new IllegalArgumentException(op + ": the index must be I32, got " + index.dtype());
        }
    }

    /** Runs a backend call and prefixes an index error with the op's operand shapes. */
    private static void withIndexContext(String op, Tensor t, Tensor index, Runnable call) {
        try {
            call.run();
        } catch (IndexOutOfBoundsException e) {
            throw new IndexOutOfBoundsException(op + " of " + Shapes.str(t.shape()) + " by index "
                    + Shapes.str(index.shape()) + ": " + e.getMessage());
        }
    }

    /** {@code part} (shape {@code partShape}, the leading corner of {@code fullShape}) zero-padded to {@code fullShape}. */
    private static Tensor padTo(Tensor part, int[] partShape, int[] fullShape) {
        if (Arrays.equals(partShape, fullShape)) {
            return Raw.contiguous(part);
        }
        Tensor full = Tensor.emptyLike(part, fullShape);
        full.fill(0.0);
        Tensor corner = full;
        for (int d = 0; d < fullShape.length; d++) {
            if (partShape[d] != fullShape[d]) {
                corner = Views.rawSlice(corner, d, 0, partShape[d]);
            }
        }
        corner.copyFrom(part);
        return full;
    }
}
