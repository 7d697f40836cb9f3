package dev.onerec4j.tensors.backend.cuda;

import dev.onerec4j.tensors.backend.MergedLayout;

import dev.onerec4j.kernels.cuda.KernelArgs;

import java.util.Arrays;

/**
 * The shape and per-operand strides of an element-wise kernel after merging: size-1 dimensions are dropped and
 * neighbouring dimensions that every operand steps through as one are fused, so contiguous operands become a
 * single dimension (no index division on the device). Packs into the {@code Dims} and {@code Operand} structs
 * of {@code common.cuh} (72 bytes each: rank or offset, then 8 longs).
 */
public final class StridedLayout {

    public static final int MAX_RANK = 8;

    private final long[] sizes;
    private final long[][] strides;
    private final long[] offsets;
    private final long numel;

    private StridedLayout(long[] sizes, long[][] strides, long[] offsets, long numel) {
        this.sizes = sizes;
        this.strides = strides;
        this.offsets = offsets;
        this.numel = numel;
    }

    /** Merges {@code shape} for operands with {@code strides[k]} and element {@code offsets[k]}. */
    public static StridedLayout of(String op, int[] shape, long[][] strides, long[] offsets) {
        int operands = strides.length;
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        MergedLayout merged = MergedLayout.of(shape, strides);
        int r = merged.rank();
        long[] ds = new long[r];
        for (int d = 0; d < r; d++) {
            ds[d] = merged.dims()[d];
        }
        long[][] ss = merged.strides();
        if (r > MAX_RANK) {
            throw new IllegalArgumentException(op + ": the CUDA kernels take at most " + MAX_RANK
                    + " non-mergeable dimensions, got shape " + Arrays.toString(shape) + " (make an operand contiguous first)");
        }
        long[][] st = new long[operands][];
        for (int k = 0; k < operands; k++) {
            st[k] = Arrays.copyOf(ss[k], r);
        }
        return new StridedLayout(Arrays.copyOf(ds, r), st, offsets.clone(), n);
    }

    public int rank() {
        return sizes.length;
    }

    public long numel() {
        return numel;
    }

    public long[] sizes() {
        return sizes.clone();
    }

    public long[] strides(int operand) {
        return strides[operand].clone();
    }

    /** Element offset of linear index {@code i} in operand {@code k} (what the kernel computes; used by tests). */
    public long offsetOf(long i, int k) {
        long off = offsets[k];
        for (int d = sizes.length - 1; d >= 0; d--) {
            long c = i % sizes[d];
            i /= sizes[d];
            off += c * strides[k][d];
        }
        return off;
    }

    /** Appends the {@code Dims} struct. */
    public KernelArgs addDims(KernelArgs args) {
        long[] f = new long[1 + MAX_RANK];
        f[0] = sizes.length;
        System.arraycopy(sizes, 0, f, 1, sizes.length);
        return args.longs(f);
    }

    /** Appends the {@code Operand} struct of operand {@code k}. */
    public KernelArgs addOperand(KernelArgs args, int k) {
        long[] f = new long[1 + MAX_RANK];
        f[0] = offsets[k];
        System.arraycopy(strides[k], 0, f, 1, strides[k].length);
        return args.longs(f);
    }
}
