package dev.onerec4j.tensors.ops;

import dev.onerec4j.tensors.Shapes;
import dev.onerec4j.tensors.Tensor;

/**
 * Layout helpers for ops that hand tensors to backend primitives: contiguous copies and re-shaped or permuted
 * views that are not recorded on the autograd tape (the op records itself once, as a whole).
 */
final class Raw {

    private Raw() {
    }

    /** {@code t} itself when its elements are row-major without gaps, else an unrecorded contiguous copy. */
    static Tensor contiguous(Tensor t) {
        if (t.isContiguous()) {
            return t;
        }
        Tensor c = Tensor.emptyLike(t, t.shape());
        t.backend().copy(t, c);
        return c;
    }

    /** A view of the contiguous tensor {@code t} with another shape of the same size. */
    static Tensor view(Tensor t, int... shape) {
        if (Shapes.numel(shape) != t.numel()) {
            throw new IllegalArgumentException("view: " + Shapes.str(t.shape()) + " has " + t.numel()
                    + " elements, not the " + Shapes.numel(shape) + " of " + Shapes.str(shape));
        }
        return new Tensor(t.storage(), t.dtype(), shape, Shapes.contiguousStrides(shape), t.offset());
    }

    /** A contiguous tensor seen as {@code [rows, last]}: all leading dimensions merged. */
    static Tensor rows(Tensor t) {
        return view(t, rowCount(t), t.rank() == 0 ? 1 : t.dim(-1));
    }

    /** The product of all dimensions but the last (1 for rank 0 and 1). */
    static int rowCount(Tensor t) {
        long n = 1;
        for (int d = 0; d < t.rank() - 1; d++) {
            n *= t.dim(d);
        }
        return Math.toIntExact(n);
    }

    /** An unrecorded permuted view: dimension {@code i} of the result is dimension {@code order[i]} of {@code t}. */
    static Tensor permute(Tensor t, int[] order) {
        int[] shape = t.shape();
        long[] strides = t.strides();
        int[] ns = new int[order.length];
        long[] nst = new long[order.length];
        for (int i = 0; i < order.length; i++) {
            ns[i] = shape[order[i]];
            nst[i] = strides[order[i]];
        }
        return new Tensor(t.storage(), t.dtype(), ns, nst, t.offset());
    }

    /** The permutation that moves axis {@code axis} of a rank-{@code rank} tensor to the end, the others in order. */
    static int[] axisToEnd(int axis, int rank) {
        int[] order = new int[rank];
        for (int i = 0, j = 0; i < rank; i++) {
            if (i != axis) {
                order[j++] = i;
            }
        }
        order[rank - 1] = axis;
        return order;
    }

    /** The permutation that moves axis {@code axis} to the front, the others in order. */
    static int[] axisToFront(int axis, int rank) {
        int[] order = new int[rank];
        order[0] = axis;
        for (int i = 0, j = 1; i < rank; i++) {
            if (i != axis) {
                order[j++] = i;
            }
        }
        return order;
    }

    static int[] inverse(int[] order) {
        int[] inv = new int[order.length];
        for (int i = 0; i < order.length; i++) {
            inv[order[i]] = i;
        }
        return inv;
    }

    static boolean isIdentity(int[] order) {
        for (int i = 0; i < order.length; i++) {
            if (order[i] != i) {
                return false;
            }
        }
        return true;
    }
}
