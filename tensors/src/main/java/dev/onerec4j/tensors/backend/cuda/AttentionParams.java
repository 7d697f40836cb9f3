package dev.onerec4j.tensors.backend.cuda;

import dev.onerec4j.kernels.cuda.KernelArgs;
import dev.onerec4j.tensors.Tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The {@code AttnParams} struct of {@code attention.cu}, passed by value: strides of q, k, v (batch, head,
 * time) and of the key mask (batch, time) as 11 longs, then B, Hq, Hkv, Tq, Tk, D, Dv, causal as ints, the
 * scale as a float and a pad int: 128 bytes.
 */
final class AttentionParams {

    static final int BYTES = 128;

    private static final ThreadLocal<MemorySegment> BUFFER = ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(BYTES, 8));

    private AttentionParams() {
    }

    /** Appends the struct for these operands to {@code args}. */
    static KernelArgs add(KernelArgs args, Tensor q, Tensor k, Tensor v, Tensor mask, boolean causal, double scale) {
        MemorySegment s = BUFFER.get();
        long[] longs = {
            q.stride(0), q.stride(1), q.stride(2),
            k.stride(0), k.stride(1), k.stride(2),
            v.stride(0), v.stride(1), v.stride(2),
            mask == null ? 0 : mask.stride(0), mask == null ? 0 : mask.stride(1),
        };
        for (int i = 0; i < longs.length; i++) {
            s.setAtIndex(ValueLayout.JAVA_LONG, i, longs[i]);
        }
        int[] ints = {q.dim(0), q.dim(1), k.dim(1), q.dim(2), k.dim(2), q.dim(3), v.dim(3), causal ? 1 : 0};
        for (int i = 0; i < ints.length; i++) {
            s.set(ValueLayout.JAVA_INT, 88 + 4L * i, ints[i]);
        }
        s.set(ValueLayout.JAVA_FLOAT, 120, (float) scale);
        s.set(ValueLayout.JAVA_INT, 124, 0);
        return args.struct(s);
    }
}
