package dev.onerec4j.tensors.ops;

import dev.onerec4j.tensors.Autograd;
import dev.onerec4j.tensors.DType;
import dev.onerec4j.tensors.Shapes;
import dev.onerec4j.tensors.Tensor;

/**
 * Matrix products: batched {@link #matmul} with numpy-style broadcasting of the batch dimensions, and
 * {@link #linear} (x times a transposed weight, plus bias). BF16 operands are multiplied with FP32
 * accumulation and give F32 results; F64 operands give F64.
 */
public final class Linalg {

    private Linalg() {
    }

    /**
     * {@code a [..., m, k] x b [..., k, n] -> [..., m, n]}; batch dimensions broadcast. Transposed views are
     * multiplied without copying.
     */
    public static Tensor matmul(Tensor a, Tensor b) {
        if (a.rank() < 2 || b.rank() < 2) {
            throw new IllegalArgumentException("matmul: operands need rank >= 2, got " + Shapes.str(a.shape()) + " x "
                    + Shapes.str(b.shape()));
        }
        Shapes.requireSameDevice("matmul", a, b);
        int m = a.dim(-2);
        int k = a.dim(-1);
        int n = b.dim(-1);
        if (b.dim(-2) != k) {
            throw new IllegalArgumentException("matmul: inner dimensions differ, " + Shapes.str(a.shape()) + " x "
                    + Shapes.str(b.shape()) + " (" + k + " vs " + b.dim(-2) + ")");
        }
        DType outType = outputType(a, b);
        int[] batchA = java.util.Arrays.copyOf(a.shape(), a.rank() - 2);
        int[] batchB = java.util.Arrays.copyOf(b.shape(), b.rank() - 2);
        int[] batch = Shapes.broadcast("matmul", batchA, batchB);
        int[] outShape = java.util.Arrays.copyOf(batch, batch.length + 2);
        outShape[batch.length] = m;
        outShape[batch.length + 1] = n;
        Tensor out = Tensor.empty(outType, a.device(), dev.onerec4j.tensors.MemoryScope.current(), outShape);

        if (b.rank() == 2 && a.rank() > 2 && foldsIntoRows(a)) {
            // [..., m, k] x [k, n]: fold the batch into the rows, one GEMM.
            int rows = (int) (a.numel() / k);
            Tensor a3 = new Tensor(a.storage(), a.dtype(), new int[] {1, rows, k},
                    new long[] {0, a.stride(-2), a.stride(-1)}, a.offset());
            Tensor b3 = new Tensor(b.storage(), b.dtype(), new int[] {1, k, n},
                    new long[] {0, b.stride(0), b.stride(1)}, b.offset());
            out.backend().matmul(a3, b3, contiguous3d(out, 1, rows, n), 1f, 0f);
        } else {
            int batchSize = (int) Shapes.numel(batch);
            Tensor a3 = as3d(a, batch, m, k);
            Tensor b3 = as3d(b, batch, k, n);
            out.backend().matmul(a3, b3, contiguous3d(out, batchSize, m, n), 1f, 0f);
        }
        int[] as = a.shape();
        int[] bs = b.shape();
        return Autograd.record(out, "matmul", g -> new Tensor[] {
                a.requiresGrad() ? Reduce.sumTo(matmul(g, b.transpose(-1, -2)), as) : null,
                b.requiresGrad() ? gradB(a, g, bs) : null}, a, b);
    }

    /** {@code x [..., in] x weight[out, in]^T + bias[out]}; {@code bias} may be null. */
    public static Tensor linear(Tensor x, Tensor weight, Tensor bias) {
        Shapes.requireRank("linear (weight)", weight, 2);
        if (x.dim(-1) != weight.dim(1)) {
            throw new IllegalArgumentException("linear: input features " + x.dim(-1) + " (shape " + Shapes.str(x.shape())
                    + ") do not match weight " + Shapes.str(weight.shape()) + " [out, in]");
        }
        Tensor y = matmul(x, weight.transpose(0, 1));
        return bias == null ? y : Arith.add(y, bias.dtype() == y.dtype() ? bias : bias.to(y.dtype()));
    }

    private static Tensor gradB(Tensor a, Tensor g, int[] bs) {
        if (bs.length == 2 && a.rank() > 2) {
            // Weight gradient of a folded product: sum over all rows in one GEMM.
            int k = a.dim(-1);
            int n = g.dim(-1);
            Tensor a2 = a.contiguous().reshape(-1, k);
            Tensor g2 = g.contiguous().reshape(-1, n);
            return matmul(a2.transpose(0, 1), g2);
        }
        return Reduce.sumTo(matmul(a.transpose(-1, -2), g), bs);
    }

    private static DType outputType(Tensor a, Tensor b) {
        DType da = a.dtype();
        DType db = b.dtype();
        if (da == DType.F64 || db == DType.F64) {
            if (da != db) {
                throw new IllegalArgumentException("matmul: F64 operands must both be F64, got " + da + " x " + db);
            }
            return DType.F64;
        }
        if (!da.isFloating() || !db.isFloating()) {
            throw new IllegalArgumentException("matmul: needs floating-point operands, got " + da + " x " + db);
        }
        return DType.F32;
    }

    private static Tensor contiguous3d(Tensor t, int batch, int rows, int cols) {
        return new Tensor(t.storage(), t.dtype(), new int[] {batch, rows, cols},
                new long[] {(long) rows * cols, cols, 1}, t.offset());
    }

    /** True when a's leading dims and rows can be read as one run of rows with a single row stride. */
    private static boolean foldsIntoRows(Tensor a) {
        int r = a.rank();
        long expected = a.stride(-2) * a.dim(-2);
        for (int d = r - 3; d >= 0; d--) {
            if (a.dim(d) == 1) {
                continue;
            }
            if (a.stride(d) != expected) {
                return false;
            }
            expected *= a.dim(d);
        }
        return a.stride(-1) == 1 || a.dim(-1) == 1;
    }

    /** Views t as [batch, rows, cols], broadcasting batch dims (stride 0) or copying when they do not merge. */
    private static Tensor as3d(Tensor t, int[] batch, int rows, int cols) {
        int[] full = java.util.Arrays.copyOf(batch, batch.length + 2);
        full[batch.length] = rows;
        full[batch.length + 1] = cols;
        Tensor e = Views.broadcastView(t, full, "matmul");
        long[] st = e.strides();
        int nb = batch.length;
        long batchStride = 0;
        boolean ok = true;
        // The merged batch must step uniformly: all batch dims either broadcast (stride 0) or nested contiguously.
        boolean allZero = true;
        for (int d = 0; d < nb; d++) {
            if (batch[d] != 1 && st[d] != 0) {
                allZero = false;
            }
        }
        if (!allZero) {
            long expected = -1;
            for (int d = nb - 1; d >= 0; d--) {
                if (batch[d] == 1) {
                    continue;
                }
                if (expected == -1) {
                    batchStride = st[d];
                    expected = st[d] * batch[d];
                } else if (st[d] != expected) {
                    ok = false;
                    break;
                } else {
                    expected *= batch[d];
                }
            }
        }
        if (!ok) {
            Tensor c = Tensor.emptyLike(t, full);
            t.backend().copy(e, c);
            return new Tensor(c.storage(), c.dtype(), new int[] {(int) Shapes.numel(batch), rows, cols},
                    new long[] {(long) rows * cols, cols, 1}, c.offset());
        }
        return new Tensor(e.storage(), e.dtype(), new int[] {(int) Shapes.numel(batch), rows, cols},
                new long[] {batchStride, st[nb], st[nb + 1]}, e.offset());
    }
}
