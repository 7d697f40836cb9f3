package dev.onerec4j.tensors.backend.cpu;

import dev.onerec4j.tensors.DType;
import dev.onerec4j.tensors.Shapes;
import dev.onerec4j.tensors.Tensor;

/**
 * Layout and dtype checks shared by the row-wise primitives (neural-network, indexing, optimizer): each failure
 * names the primitive, the operand and what was expected.
 */
final class Operands {

    /** Elements a parallel chunk should cover at least, so a chunk outweighs handing it to a worker. */
    static final int MIN_CHUNK_ELEMENTS = 1 << 14;

    private Operands() {
    }

    static void requireContiguous(String op, String what, Tensor t) {
        if (!t.isContiguous()) {
            throw new IllegalArgumentException(op + ": the " + what + " must be contiguous, got shape "
                    + Shapes.str(t.shape()) + " with strides " + java.util.Arrays.toString(t.strides())
                    + " (call contiguous() first)");
        }
    }

    /** The dtype of {@code t}, which must be F32 or F64. */
    static DType floating(String op, String what, Tensor t) {
        DType dt = t.dtype();
        if (dt != DType.F32 && dt != DType.F64) {
            throw new IllegalArgumentException(op + ": the " + what + " must be F32 or F64, got " + dt
                    + (dt == DType.BF16 ? " (cast with to(F32))" : ""));
        }
        return dt;
    }

    static void requireDType(String op, String what, Tensor t, DType expected) {
        if (t.dtype() != expected) {
            throw new IllegalArgumentException(op + ": the " + what + " must be " + expected + ", got " + t.dtype());
        }
    }

    static void requireShape(String op, String what, Tensor t, int[] expected) {
        if (!java.util.Arrays.equals(t.shape(), expected)) {
            throw new IllegalArgumentException(op + ": the " + what + " must have shape " + Shapes.str(expected)
                    + ", got " + Shapes.str(t.shape()));
        }
    }

    /** {@code t} has {@code like}'s dtype and shape, and is contiguous (an output or a same-shaped operand). */
    static void requireLike(String op, String what, Tensor t, Tensor like) {
        requireDType(op, what, t, like.dtype());
        requireShape(op, what, t, like.shape());
        requireContiguous(op, what, t);
    }

    static void requireNumel(String op, String what, Tensor t, long expected) {
        if (t.numel() != expected) {
            throw new IllegalArgumentException(op + ": the " + what + " must hold " + expected + " elements, got shape "
                    + Shapes.str(t.shape()));
        }
    }

    /** Size of the last axis (the feature axis); 1 for a rank-0 tensor. */
    static int lastDim(Tensor t) {
        return t.rank() == 0 ? 1 : t.dim(-1);
    }

    /** Number of rows: the product of all dimensions but the last (1 for rank 0 and rank 1). */
    static int rows(Tensor t) {
        long n = 1;
        for (int d = 0; d < t.rank() - 1; d++) {
            n *= t.dim(d);
        }
        return Math.toIntExact(n);
    }

    /** Rows per parallel chunk for rows of {@code width} elements. */
    static int rowGrain(int width) {
        return Math.max(1, MIN_CHUNK_ELEMENTS / Math.max(1, width));
    }
}
