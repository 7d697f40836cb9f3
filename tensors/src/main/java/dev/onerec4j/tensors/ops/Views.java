package dev.onerec4j.tensors.ops;

import dev.onerec4j.tensors.Autograd;
import dev.onerec4j.tensors.DType;
import dev.onerec4j.tensors.Device;
import dev.onerec4j.tensors.MemoryScope;
import dev.onerec4j.tensors.Shapes;
import dev.onerec4j.tensors.Tensor;

import java.util.Arrays;

/**
 * Views that share storage (reshape of contiguous data, transpose, permute, slice, unsqueeze, squeeze, expand)
 * and the conversions {@code contiguous}, {@code cast} and {@code toDevice}. All are differentiable.
 */
public final class Views {

    private Views() {
    }

    public static Tensor reshape(Tensor t, int... newShape) {
        int[] shape = inferShape(t, newShape);
        Tensor src = t;
        long[] strides = viewStrides(t, shape);
        if (strides == null) {
            src = contiguous(t);
            strides = Shapes.contiguousStrides(shape);
        }
        Tensor out = new Tensor(src.storage(), src.dtype(), shape, strides, src.offset());
        int[] inShape = t.shape();
        return Autograd.record(out, "reshape", g -> new Tensor[] {reshape(g, inShape)}, t);
    }

    public static Tensor transpose(Tensor t, int d0, int d1) {
        int r = t.rank();
        int a = Shapes.axis(d0, r, "transpose");
        int b = Shapes.axis(d1, r, "transpose");
        int[] order = new int[r];
        for (int i = 0; i < r; i++) {
            order[i] = i;
        }
        order[a] = b;
        order[b] = a;
        return permute(t, order);
    }

    public static Tensor permute(Tensor t, int... order) {
        int r = t.rank();
        if (order.length != r) {
            throw new IllegalArgumentException("permute: order " + Arrays.toString(order) + " does not match rank " + r);
        }
        int[] shape = t.shape();
        long[] strides = t.strides();
        int[] ns = new int[r];
        long[] nst = new long[r];
        int[] inverse = new int[r];
        boolean[] seen = new boolean[r];
        for (int i = 0; i < r; i++) {
            int src = Shapes.axis(order[i], r, "permute");
            if (seen[src]) {
                throw new IllegalArgumentException("permute: order " + Arrays.toString(order) + " repeats axis " + src);
            }
            seen[src] = true;
            ns[i] = shape[src];
            nst[i] = strides[src];
            inverse[src] = i;
        }
        Tensor out = new Tensor(t.storage(), t.dtype(), ns, nst, t.offset());
        return Autograd.record(out, "permute", g -> new Tensor[] {permute(g, inverse)}, t);
    }

    public static Tensor slice(Tensor t, int dim, int from, int to) {
        int d = Shapes.axis(dim, t.rank(), "slice");
        int size = t.dim(d);
        if (from < 0 || to > size || from > to) {
            throw new IndexOutOfBoundsException("slice: range [" + from + ", " + to + ") is out of bounds for dimension "
                    + d + " of size " + size + " (shape " + Shapes.str(t.shape()) + ")");
        }
        int[] shape = t.shape();
        shape[d] = to - from;
        Tensor out = new Tensor(t.storage(), t.dtype(), shape, t.strides(), t.offset() + from * t.stride(d));
        int[] inShape = t.shape();
        return Autograd.record(out, "slice", g -> {
            Tensor full = Tensor.emptyLike(g, inShape);
            full.fill(0.0);
            Views.rawSlice(full, d, from, to).copyFrom(g);
            return new Tensor[] {full};
        }, t);
    }

    public static Tensor select(Tensor t, int dim, int index) {
        int d = Shapes.axis(dim, t.rank(), "select");
        if (index < 0 || index >= t.dim(d)) {
            throw new IndexOutOfBoundsException("select: index " + index + " is out of bounds for dimension " + d
                    + " of size " + t.dim(d));
        }
        return squeeze(slice(t, d, index, index + 1), d);
    }

    public static Tensor unsqueeze(Tensor t, int dim) {
        int r = t.rank();
        int d = Shapes.axis(dim, r + 1, "unsqueeze");
        int[] shape = new int[r + 1];
        long[] strides = new long[r + 1];
        int[] s = t.shape();
        long[] st = t.strides();
        for (int i = 0, j = 0; i <= r; i++) {
            if (i == d) {
                shape[i] = 1;
                strides[i] = j < r ? st[j] * s[j] : 1;
            } else {
                shape[i] = s[j];
                strides[i] = st[j];
                j++;
            }
        }
        Tensor out = new Tensor(t.storage(), t.dtype(), shape, strides, t.offset());
        return Autograd.record(out, "unsqueeze", g -> new Tensor[] {squeeze(g, d)}, t);
    }

    public static Tensor squeeze(Tensor t, int dim) {
        int r = t.rank();
        int d = Shapes.axis(dim, r, "squeeze");
        if (t.dim(d) != 1) {
            throw new IllegalArgumentException("squeeze: dimension " + d + " has size " + t.dim(d) + ", not 1");
        }
        int[] shape = new int[r - 1];
        long[] strides = new long[r - 1];
        int[] s = t.shape();
        long[] st = t.strides();
        for (int i = 0, j = 0; i < r; i++) {
            if (i != d) {
                shape[j] = s[i];
                strides[j] = st[i];
                j++;
            }
        }
        Tensor out = new Tensor(t.storage(), t.dtype(), shape, strides, t.offset());
        return Autograd.record(out, "squeeze", g -> new Tensor[] {unsqueeze(g, d)}, t);
    }

    public static Tensor expand(Tensor t, int... newShape) {
        Tensor out = broadcastView(t, newShape, "expand");
        int[] inShape = t.shape();
        return Autograd.record(out, "expand", g -> new Tensor[] {Reduce.sumTo(g, inShape)}, t);
    }

    public static Tensor contiguous(Tensor t) {
        if (t.isContiguous()) {
            return t;
        }
        Tensor out = Tensor.emptyLike(t, t.shape());
        t.backend().copy(t, out);
        return Autograd.record(out, "contiguous", g -> new Tensor[] {g}, t);
    }

    public static Tensor cast(Tensor t, DType target) {
        if (t.dtype() == target) {
            return t;
        }
        Tensor out = Tensor.empty(target, t.device(), MemoryScope.current(), t.shape());
        t.backend().copy(t, out);
        DType source = t.dtype();
        return Autograd.record(out, "cast", g -> new Tensor[] {cast(g, source)}, t);
    }

    public static Tensor toDevice(Tensor t, Device target) {
        if (t.device() == target) {
            return t;
        }
        Tensor out = Tensor.empty(t.dtype(), target, MemoryScope.current(), t.shape());
        // The non-CPU backend owns the transfer in both directions.
        (target == Device.CPU ? t.backend() : out.backend()).copy(t, out);
        Device source = t.device();
        return Autograd.record(out, "to_device", g -> new Tensor[] {toDevice(g, source)}, t);
    }

    // ------------------------------------------------------------------ helpers for ops (no autograd)

    /** A stride-0 broadcast view of {@code t} with shape {@code shape} (numpy rules), outside autograd. */
    public static Tensor broadcastView(Tensor t, int[] shape, String op) {
        int r = shape.length;
        int tr = t.rank();
        if (tr > r) {
            throw new IllegalArgumentException(op + ": cannot broadcast shape " + Shapes.str(t.shape()) + " to "
                    + Shapes.str(shape));
        }
        int[] s = t.shape();
        long[] st = t.strides();
        long[] strides = new long[r];
        for (int i = 0; i < r; i++) {
            int j = i - (r - tr);
            if (j < 0) {
                strides[i] = 0;
            } else if (s[j] == shape[i]) {
                strides[i] = st[j];
            } else if (s[j] == 1) {
                strides[i] = 0;
            } else {
                throw new IllegalArgumentException(op + ": cannot broadcast shape " + Shapes.str(t.shape()) + " to "
                        + Shapes.str(shape));
            }
        }
        return new Tensor(t.storage(), t.dtype(), shape, strides, t.offset());
    }

    /** A slice view outside autograd (for writing into part of a tensor). */
    public static Tensor rawSlice(Tensor t, int d, int from, int to) {
        int[] shape = t.shape();
        shape[d] = to - from;
        return new Tensor(t.storage(), t.dtype(), shape, t.strides(), t.offset() + from * t.stride(d));
    }

    private static int[] inferShape(Tensor t, int[] newShape) {
        int[] shape = newShape.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] == -1) {
                if (infer >= 0) {
                    throw new IllegalArgumentException("reshape: only one dimension can be -1 in " + Arrays.toString(newShape));
                }
                infer = i;
            } else if (shape[i] < 0) {
                throw new IllegalArgumentException("reshape: invalid dimension in " + Arrays.toString(newShape));
            } else {
                known *= shape[i];
            }
        }
        long n = t.numel();
        if (infer >= 0) {
            if (known == 0 || n % known != 0) {
                throw new IllegalArgumentException("reshape: cannot reshape " + Shapes.str(t.shape()) + " ("
                        + n + " elements) to " + Arrays.toString(newShape));
            }
            shape[infer] = (int) (n / known);
        } else if (known != n) {
            throw new IllegalArgumentException("reshape: cannot reshape " + Shapes.str(t.shape()) + " (" + n
                    + " elements) to " + Arrays.toString(newShape) + " (" + known + " elements)");
        }
        return shape;
    }

    /**
     * Strides that let {@code t}'s storage be read as {@code shape} without copying, or null. Works for any
     * layout where each group of merged/split dimensions is itself contiguous (the common transposed-then-split
     * cases included).
     */
    private static long[] viewStrides(Tensor t, int[] shape) {
        if (t.isContiguous()) {
            return Shapes.contiguousStrides(shape);
        }
        int[] old = t.shape();
        long[] oldSt = t.strides();
        long[] out = new long[shape.length];
        int oi = 0;
        int ni = 0;
        int on = old.length;
        int nn = shape.length;
        while (oi < on || ni < nn) {
            // Skip size-1 dimensions on both sides.
            if (oi < on && old[oi] == 1) {
                oi++;
                continue;
            }
            if (ni < nn && shape[ni] == 1) {
                out[ni] = 1;
                ni++;
                continue;
            }
            if (oi >= on || ni >= nn) {
                return null;
            }
            // Collect a group of old dims and new dims with equal element counts.
            int oStart = oi;
            int nStart = ni;
            long oCount = old[oi++];
            long nCount = shape[ni++];
            while (oCount != nCount) {
                if (oCount < nCount) {
                    if (oi >= on) {
                        return null;
                    }
                    oCount *= old[oi++];
                } else {
                    if (ni >= nn) {
                        return null;
                    }
                    nCount *= shape[ni++];
                }
            }
            // The old group must be contiguous within itself (ignoring unit dims).
            long expected = oldSt[oi - 1];
            for (int d = oi - 1; d > oStart; d--) {
                if (old[d] == 1) {
                    continue;
                }
                int prev = d - 1;
                while (prev > oStart && old[prev] == 1) {
                    prev--;
                }
                if (old[prev] != 1 && oldSt[prev] != oldSt[d] * old[d]) {
                    return null;
                }
            }
            long s = expected;
            for (int d = ni - 1; d >= nStart; d--) {
                out[d] = s;
                s *= shape[d];
            }
        }
        return out;
    }
}
