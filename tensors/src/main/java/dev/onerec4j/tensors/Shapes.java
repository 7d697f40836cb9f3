package dev.onerec4j.tensors;

import java.util.Arrays;

/** Shape arithmetic and the checks that turn a wrong shape into a message naming the op and what it expected. */
public final class Shapes {

    private Shapes() {
    }

    public static long numel(int[] shape) {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    public static long[] contiguousStrides(int[] shape) {
        long[] strides = new long[shape.length];
        long s = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            strides[d] = s;
            s *= Math.max(1, shape[d]);
        }
        return strides;
    }

    /** True when the strides are row-major contiguous for every dimension of size greater than one. */
    static boolean isContiguousIgnoringUnitDims(int[] shape, long[] strides) {
        long expected = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] == 1) {
                continue;
            }
            if (strides[d] != expected) {
                return false;
            }
            expected *= shape[d];
        }
        return true;
    }

    /** Normalises a possibly negative axis; the message names {@code op}. */
    public static int axis(int axis, int rank, String op) {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw new IllegalArgumentException(op + ": axis " + axis + " is out of range for a tensor of rank " + rank);
        }
        return a;
    }

    /** The broadcast shape of {@code a} and {@code b} (numpy rules), or an error naming {@code op}. */
    public static int[] broadcast(String op, int[] a, int[] b) {
        int rank = Math.max(a.length, b.length);
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
            int db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException(op + ": shapes " + Arrays.toString(a) + " and " + Arrays.toString(b)
                        + " cannot be broadcast together (dimension " + i + ": " + da + " vs " + db + ")");
            }
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    public static void requireSame(String op, int[] expected, int[] actual) {
        if (!Arrays.equals(expected, actual)) {
            throw new IllegalArgumentException(op + ": expected shape " + Arrays.toString(expected) + ", got "
                    + Arrays.toString(actual));
        }
    }

    public static void requireRank(String op, Tensor t, int rank) {
        if (t.rank() != rank) {
            throw new IllegalArgumentException(op + ": expected a tensor of rank " + rank + ", got shape "
                    + Arrays.toString(t.shape()));
        }
    }

    public static void requireDType(String op, Tensor t, DType... allowed) {
        for (DType d : allowed) {
            if (t.dtype() == d) {
                return;
            }
        }
        throw new IllegalArgumentException(op + ": dtype " + t.dtype() + " is not supported here (expected one of "
                + Arrays.toString(allowed) + ")");
    }

    public static void requireSameDType(String op, Tensor a, Tensor b) {
        if (a.dtype() != b.dtype()) {
            throw new IllegalArgumentException(op + ": dtype mismatch, " + a.dtype() + " vs " + b.dtype()
                    + " (cast one operand with to(...))");
        }
    }

    public static void requireSameDevice(String op, Tensor a, Tensor b) {
        if (a.device() != b.device()) {
            throw new IllegalArgumentException(op + ": operands are on different devices, " + a.device() + " vs "
                    + b.device());
        }
    }

    public static String str(int[] shape) {
        return Arrays.toString(shape);
    }
}
