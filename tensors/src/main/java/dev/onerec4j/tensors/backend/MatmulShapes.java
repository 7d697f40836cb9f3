package dev.onerec4j.tensors.backend;

import dev.onerec4j.tensors.Shapes;
import dev.onerec4j.tensors.Tensor;

/** The shape contract of {@link Backend#matmul}, checked the same way by every backend. */
public record MatmulShapes(int batch, int m, int n, int k) {

    /** Validates rank-3 {@code a [batch, m, k]}, {@code b [batch, k, n]}, contiguous {@code out [batch, m, n]}. */
    public static MatmulShapes check(Tensor a, Tensor b, Tensor out) {
        Shapes.requireRank("matmul", a, 3);
        Shapes.requireRank("matmul", b, 3);
        Shapes.requireRank("matmul", out, 3);
        int batch = out.dim(0);
        int m = a.dim(1);
        int k = a.dim(2);
        int n = b.dim(2);
        if (b.dim(1) != k || out.dim(1) != m || out.dim(2) != n || a.dim(0) != batch || b.dim(0) != batch) {
            throw new IllegalArgumentException("matmul: shapes " + Shapes.str(a.shape()) + " x " + Shapes.str(b.shape())
                    + " -> " + Shapes.str(out.shape()) + " do not line up");
        }
        if (!out.isContiguous()) {
            throw new IllegalArgumentException("matmul: the output must be contiguous");
        }
        return new MatmulShapes(batch, m, n, k);
    }
}
