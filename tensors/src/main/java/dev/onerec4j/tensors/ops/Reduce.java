package dev.onerec4j.tensors.ops;

import dev.onerec4j.kernels.ReduceOp;
import dev.onerec4j.tensors.Autograd;
import dev.onerec4j.tensors.Shapes;
import dev.onerec4j.tensors.Tensor;

import java.util.Arrays;

/** Sum, mean, max and min over axes (with or without keeping the reduced axes), and reduction to a shape. */
public final class Reduce {

    private Reduce() {
    }

    /** Sum of all elements (rank 0). */
    public static Tensor sum(Tensor t) {
        return sum(t, allAxes(t), false);
    }

    public static Tensor sum(Tensor t, int axis, boolean keepDim) {
        return sum(t, new int[] {axis}, keepDim);
    }

    public static Tensor sum(Tensor t, int[] axes, boolean keepDim) {
        int[] ax = normalise(t, axes, "sum");
        Tensor out = reduceRaw(ReduceOp.SUM, t, ax, keepDim);
        int[] inShape = t.shape();
        return Autograd.record(out, "sum", g -> new Tensor[] {expandBack(g, inShape, ax, keepDim)}, t);
    }

    /** Mean of all elements (rank 0). */
    public static Tensor mean(Tensor t) {
        return mean(t, allAxes(t), false);
    }

    public static Tensor mean(Tensor t, int axis, boolean keepDim) {
        return mean(t, new int[] {axis}, keepDim);
    }

    public static Tensor mean(Tensor t, int[] axes, boolean keepDim) {
        int[] ax = normalise(t, axes, "mean");
        long count = 1;
        for (int a : ax) {
            count *= t.dim(a);
        }
        if (count == 0) {
            throw new IllegalArgumentException("mean: reducing over an empty axis of shape " + Shapes.str(t.shape()));
        }
        return Arith.scale(sum(t, ax, keepDim), 1.0 / count);
    }

    public static Tensor max(Tensor t, int axis, boolean keepDim) {
        return extremum(ReduceOp.MAX, t, new int[] {axis}, keepDim, "max");
    }

    public static Tensor max(Tensor t, int[] axes, boolean keepDim) {
        return extremum(ReduceOp.MAX, t, axes, keepDim, "max");
    }

    public static Tensor min(Tensor t, int axis, boolean keepDim) {
        return extremum(ReduceOp.MIN, t, new int[] {axis}, keepDim, "min");
    }

    public static Tensor min(Tensor t, int[] axes, boolean keepDim) {
        return extremum(ReduceOp.MIN, t, axes, keepDim, "min");
    }

    /** Max/min; the gradient is shared evenly among the elements that attain the extremum. */
    private static Tensor extremum(ReduceOp op, Tensor t, int[] axes, boolean keepDim, String name) {
        int[] ax = normalise(t, axes, name);
        Tensor out = reduceRaw(op, t, ax, keepDim);
        int[] inShape = t.shape();
        return Autograd.record(out, name, g -> {
            Tensor hit = Arith.eq(t, expandBack(out, inShape, ax, keepDim));
            Tensor count = reduceRaw(ReduceOp.SUM, hit, ax, true);
            Tensor share = Arith.div(hit, count);
            return new Tensor[] {Arith.mul(share, expandBack(g, inShape, ax, keepDim))};
        }, t);
    }

    /**
     * Sums {@code g} down to {@code shape} (the inverse of broadcasting): leading extra axes and axes where
     * {@code shape} has size 1 are summed. Returns {@code g} itself when the shapes already match.
     */
    public static Tensor sumTo(Tensor g, int[] shape) {
        int[] gs = g.shape();
        if (Arrays.equals(gs, shape)) {
            return g;
        }
        int extra = gs.length - shape.length;
        if (extra < 0) {
            throw new IllegalArgumentException("sumTo: cannot reduce shape " + Shapes.str(gs) + " to " + Shapes.str(shape));
        }
        int[] axes = new int[gs.length];
        int n = 0;
        for (int i = 0; i < gs.length; i++) {
            if (i < extra || (shape[i - extra] == 1 && gs[i] != 1)) {
                axes[n++] = i;
            } else if (shape[i - extra] != gs[i]) {
                throw new IllegalArgumentException("sumTo: cannot reduce shape " + Shapes.str(gs) + " to " + Shapes.str(shape));
            }
        }
        Tensor s = n == 0 ? g : sum(g, Arrays.copyOf(axes, n), true);
        return s.reshape(shape);
    }

    // ------------------------------------------------------------------ internals

    /** The reduction without autograd: groups adjacent axes and calls the backend's [outer, mid, inner] reduce. */
    static Tensor reduceRaw(ReduceOp op, Tensor t, int[] axes, boolean keepDim) {
        Arith.requireFloating(op.name().toLowerCase(), t);
        if (axes.length == 0) {
            return rawContiguous(t);
        }
        Tensor cur = t.isContiguous() ? t : rawContiguous(t);
        int[] shape = cur.shape();
        // Reduce runs of adjacent axes from the last run to the first, keeping dims so indices stay valid.
        int i = axes.length - 1;
        while (i >= 0) {
            int end = axes[i];
            int start = end;
            while (i > 0 && axes[i - 1] == start - 1) {
                i--;
                start--;
            }
            i--;
            int outer = 1;
            int mid = 1;
            int inner = 1;
            for (int d = 0; d < shape.length; d++) {
                if (d < start) {
                    outer *= shape[d];
                } else if (d <= end) {
                    mid *= shape[d];
                } else {
                    inner *= shape[d];
                }
            }
            int[] next = shape.clone();
            for (int d = start; d <= end; d++) {
                next[d] = 1;
            }
            Tensor out = Tensor.emptyLike(cur, next);
            cur.backend().reduce(op, cur, outer, mid, inner, out);
            cur = out;
            shape = next;
        }
        if (!keepDim) {
            int[] squeezed = new int[shape.length - axes.length];
            for (int d = 0, j = 0, k = 0; d < shape.length; d++) {
                if (k < axes.length && axes[k] == d) {
                    k++;
                } else {
                    squeezed[j++] = shape[d];
                }
            }
            cur = new Tensor(cur.storage(), cur.dtype(), squeezed, Shapes.contiguousStrides(squeezed), cur.offset());
        }
        return cur;
    }

    private static Tensor rawContiguous(Tensor t) {
        Tensor c = Tensor.emptyLike(t, t.shape());
        t.backend().copy(t, c);
        return c;
    }

    /** Broadcasts a reduced gradient back to the input shape (materialised, contiguous). */
    private static Tensor expandBack(Tensor g, int[] inShape, int[] axes, boolean keepDim) {
        int[] kept = inShape.clone();
        for (int a : axes) {
            kept[a] = 1;
        }
        Tensor k = keepDim ? g : g.reshape(kept);
        return k.expand(inShape).contiguous();
    }

    private static int[] normalise(Tensor t, int[] axes, String op) {
        int[] ax = new int[axes.length];
        for (int i = 0; i < axes.length; i++) {
            ax[i] = Shapes.axis(axes[i], t.rank(), op);
        }
        Arrays.sort(ax);
        for (int i = 1; i < ax.length; i++) {
            if (ax[i] == ax[i - 1]) {
                throw new IllegalArgumentException(op + ": axis " + ax[i] + " given twice");
            }
        }
        return ax;
    }

    private static int[] allAxes(Tensor t) {
        int[] ax = new int[t.rank()];
        for (int i = 0; i < ax.length; i++) {
            ax[i] = i;
        }
        return ax;
    }
}
