package dev.onerec4j.tensors.backend.cpu;

import dev.onerec4j.kernels.AttentionGradients;
import dev.onerec4j.kernels.AttentionKernels;
import dev.onerec4j.kernels.AttentionOperand;
import dev.onerec4j.kernels.AttentionProblem;
import dev.onerec4j.kernels.AttentionScratch;
import dev.onerec4j.kernels.Parallel;
import dev.onerec4j.tensors.DType;
import dev.onerec4j.tensors.Shapes;
import dev.onerec4j.tensors.Tensor;

/**
 * Fused, block-wise scaled dot-product attention: checks the operands' shapes and layouts, describes them to
 * {@link AttentionKernels}, and spreads the kernel tasks over the worker pool. Each thread keeps one
 * {@link AttentionScratch}, whose size depends on the head dimensions only.
 *
 * <p>The forward splits over (batch x query head x query block). The backward either sweeps each
 * (batch, key/value head) over all its keys, producing key, value and query gradients at once (used when there
 * are enough such tasks to keep every thread busy), or splits over (batch x key/value head x key block) for the
 * key/value gradients and then over (batch x query head x query block) for the query gradients, which costs
 * two more block products but parallelises a long sequence with few heads. Every output element is written by
 * exactly one task in a fixed order, so results are deterministic for a given thread count.
 */
final class CpuAttention {

    /** Work a chunk of tasks should carry before the pool is worth waking (about 20-50 us here). */
    private static final long MIN_FLOPS_PER_CHUNK = 1L << 19;
    private static final ThreadLocal<AttentionScratch> SCRATCH = ThreadLocal.withInitial(AttentionScratch::allocate);

    /** How the backward is split. */
    enum BackwardSplit {
        /** One task per (batch, kv head): key, value and query gradients in one sweep. */
        FUSED,
        /** Key/value gradients per key block, then query gradients per query block. */
        SPLIT
    }

    private CpuAttention() {
    }

    static void forward(Tensor q, Tensor k, Tensor v, Tensor keyMask, boolean causal, double scale, Tensor out, Tensor lse) {
        AttentionProblem p = problem("attention", q, k, v, keyMask, causal, scale, out, lse);
        int bq = AttentionKernels.BLOCK_QUERIES;
        int queryBlocks = ceilDiv(p.queryLen(), bq);
        int tasks = p.batch() * p.queryHeads() * queryBlocks;
        long flopsPerTask = 2L * Math.min(bq, p.queryLen()) * p.keyLen() * (p.headDim() + p.valueDim()) + 1;
        Parallel.forRange(tasks, grain(flopsPerTask), (from, to) -> {
            AttentionScratch s = SCRATCH.get();
            for (int t = from; t < to; t++) {
                int qb = t % queryBlocks;
                int bh = t / queryBlocks;
                int q0 = qb * bq;
                AttentionKernels.forward(p, s, bh / p.queryHeads(), bh % p.queryHeads(), q0,
                        Math.min(p.queryLen(), q0 + bq));
            }
        });
    }

    static void backward(Tensor q, Tensor k, Tensor v, Tensor keyMask, boolean causal, double scale, Tensor out,
                         Tensor lse, Tensor gradOut, Tensor gradQ, Tensor gradK, Tensor gradV) {
        backward(q, k, v, keyMask, causal, scale, out, lse, gradOut, gradQ, gradK, gradV, null);
    }

    /** The backward with a forced split ({@code null}: chosen from the problem size and thread count). */
    static void backward(Tensor q, Tensor k, Tensor v, Tensor keyMask, boolean causal, double scale, Tensor out,
                         Tensor lse, Tensor gradOut, Tensor gradQ, Tensor gradK, Tensor gradV, BackwardSplit split) {
        String op = "attentionBackward";
        if (lse == null) {
            throw new IllegalArgumentException(op + ": the forward log-sum-exp (lse) is required");
        }
        AttentionProblem p = problem(op, q, k, v, keyMask, causal, scale, out, lse);
        int b = p.batch();
        int[] qShape = {b, p.queryHeads(), p.queryLen(), p.headDim()};
        int[] kShape = {b, p.kvHeads(), p.keyLen(), p.headDim()};
        int[] vShape = {b, p.kvHeads(), p.keyLen(), p.valueDim()};
        requireShape(op, "gradOut", gradOut, new int[] {b, p.queryHeads(), p.queryLen(), p.valueDim()});
        requireShape(op, "gradQ", gradQ, qShape);
        requireShape(op, "gradK", gradK, kShape);
        requireShape(op, "gradV", gradV, vShape);
        DType dt = q.dtype();
        for (Tensor t : new Tensor[] {gradOut, gradQ, gradK, gradV}) {
            requireDType(op, t, dt);
        }
        AttentionGradients g = new AttentionGradients(operand(unitLastStride(gradOut)),
                output(op, "gradQ", gradQ), output(op, "gradK", gradK), output(op, "gradV", gradV));

        int kvTasks = b * p.kvHeads();
        if (split == null) {
            split = chooseSplit(kvTasks, Parallel.threads());
        }
        long rowFlops = 2L * (p.headDim() + p.valueDim());
        if (split == BackwardSplit.FUSED) {
            long flopsPerTask = 5L * p.group() * p.queryLen() * p.keyLen() * rowFlops / 2 + 1;
            Parallel.forRange(kvTasks, grain(flopsPerTask), (from, to) -> {
                AttentionScratch s = SCRATCH.get();
                for (int t = from; t < to; t++) {
                    AttentionKernels.backwardKeyBlocks(p, g, s, t / p.kvHeads(), t % p.kvHeads(), 0, p.keyLen(), true);
                }
            });
            return;
        }
        int bk = AttentionKernels.BLOCK_KEYS;
        int keyBlocks = ceilDiv(p.keyLen(), bk);
        long keyTaskFlops = 2L * p.group() * p.queryLen() * Math.min(bk, p.keyLen()) * rowFlops + 1;
        Parallel.forRange(kvTasks * keyBlocks, grain(keyTaskFlops), (from, to) -> {
            AttentionScratch s = SCRATCH.get();
            for (int t = from; t < to; t++) {
                int kb = t % keyBlocks;
                int bh = t / keyBlocks;
                int k0 = kb * bk;
                AttentionKernels.backwardKeyBlocks(p, g, s, bh / p.kvHeads(), bh % p.kvHeads(), k0,
                        Math.min(p.keyLen(), k0 + bk), false);
            }
        });
        int bq = AttentionKernels.BLOCK_QUERIES;
        int queryBlocks = ceilDiv(p.queryLen(), bq);
        long queryTaskFlops = 3L * Math.min(bq, p.queryLen()) * p.keyLen() * rowFlops / 2 + 1;
        Parallel.forRange(b * p.queryHeads() * queryBlocks, grain(queryTaskFlops), (from, to) -> {
            AttentionScratch s = SCRATCH.get();
            for (int t = from; t < to; t++) {
                int qb = t % queryBlocks;
                int bh = t / queryBlocks;
                int q0 = qb * bq;
                AttentionKernels.backwardQueries(p, g, s, bh / p.queryHeads(), bh % p.queryHeads(), q0,
                        Math.min(p.queryLen(), q0 + bq));
            }
        });
    }

    /**
     * The fused sweep does 5 block products per (query block, key block), the split one 7, so it wins when its
     * (batch x kv head) tasks fill the threads evenly: a multiple of the thread count, or at least three per
     * thread (then the last, partial round wastes at most a quarter).
     */
    static BackwardSplit chooseSplit(int kvTasks, int threads) {
        return kvTasks % threads == 0 || kvTasks >= 3 * threads ? BackwardSplit.FUSED : BackwardSplit.SPLIT;
    }

    private static int grain(long flopsPerTask) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, MIN_FLOPS_PER_CHUNK / flopsPerTask));
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    // ------------------------------------------------------------------ operand checks

    private static AttentionProblem problem(String op, Tensor q, Tensor k, Tensor v, Tensor keyMask, boolean causal,
                                            double scale, Tensor out, Tensor lse) {
        Shapes.requireRank(op + " (q)", q, 4);
        Shapes.requireRank(op + " (k)", k, 4);
        Shapes.requireRank(op + " (v)", v, 4);
        int b = q.dim(0);
        int hq = q.dim(1);
        int tq = q.dim(2);
        int d = q.dim(3);
        int hkv = k.dim(1);
        int tk = k.dim(2);
        int dv = v.dim(3);
        if (k.dim(0) != b || k.dim(3) != d || v.dim(0) != b || v.dim(1) != hkv || v.dim(2) != tk) {
            throw new IllegalArgumentException(op + ": q " + Shapes.str(q.shape()) + ", k " + Shapes.str(k.shape())
                    + ", v " + Shapes.str(v.shape()) + " do not line up (expected q [b, hq, tq, d], k [b, hkv, tk, d], "
                    + "v [b, hkv, tk, dv])");
        }
        if (hkv == 0 ? hq != 0 : hq % hkv != 0) {
            throw new IllegalArgumentException(op + ": " + hq + " query heads (q " + Shapes.str(q.shape())
                    + ") are not a multiple of " + hkv + " key/value heads (k " + Shapes.str(k.shape()) + ")");
        }
        DType dt = q.dtype();
        if (dt != DType.F32 && dt != DType.F64) {
            throw new IllegalArgumentException(op + ": dtype " + dt + " is not supported (expected F32 or F64)");
        }
        requireDType(op, k, dt);
        requireDType(op, v, dt);
        requireDType(op, out, dt);
        requireShape(op, "out", out, new int[] {b, hq, tq, dv});
        AttentionOperand mask = null;
        if (keyMask != null) {
            requireShape(op, "keyMask", keyMask, new int[] {b, tk});
            if (keyMask.dtype() != DType.I32) {
                throw new IllegalArgumentException(op + ": keyMask must be I32, got " + keyMask.dtype());
            }
            mask = new AttentionOperand(keyMask.segment(), keyMask.offset(), keyMask.stride(0), 0, keyMask.stride(1));
        }
        AttentionOperand lseOp = null;
        if (lse != null) {
            requireShape(op, "lse", lse, new int[] {b, hq, tq});
            requireDType(op, lse, dt);
            lseOp = new AttentionOperand(lse.segment(), lse.offset(), lse.stride(0), lse.stride(1), lse.stride(2));
        }
        return new AttentionProblem(b, hq, hkv, tq, tk, d, dv, causal, scale, dt == DType.F64,
                operand(unitLastStride(q)), operand(unitLastStride(k)), operand(unitLastStride(v)), mask,
                output(op, "out", out), lseOp);
    }

    /** The tensor itself when its rows are contiguous, else a contiguous copy (kernels read rows as vectors). */
    private static Tensor unitLastStride(Tensor t) {
        return t.dim(3) <= 1 || t.stride(3) == 1 ? t : t.copy();
    }

    private static AttentionOperand operand(Tensor t) {
        return new AttentionOperand(t.segment(), t.offset(), t.stride(0), t.stride(1), t.stride(2));
    }

    private static AttentionOperand output(String op, String name, Tensor t) {
        if (t.dim(3) > 1 && t.stride(3) != 1) {
            throw new IllegalArgumentException(op + ": " + name + " " + Shapes.str(t.shape())
                    + " needs unit stride on its last axis, got strides " + java.util.Arrays.toString(t.strides()));
        }
        return operand(t);
    }

    private static void requireShape(String op, String name, Tensor t, int[] expected) {
        if (!java.util.Arrays.equals(t.shape(), expected)) {
            throw new IllegalArgumentException(op + ": " + name + " has shape " + Shapes.str(t.shape()) + ", expected "
                    + Shapes.str(expected));
        }
    }

    private static void requireDType(String op, Tensor t, DType dt) {
        if (t.dtype() != dt) {
            throw new IllegalArgumentException(op + ": dtype mismatch, " + t.dtype() + " where the queries are " + dt);
        }
    }
}
