package dev.onerec4j.tensors.backend;

import java.util.Arrays;

/**
 * Several operands that share a shape but not their strides (broadcast views have stride 0), with size-1
 * dimensions dropped and adjacent dimensions merged wherever every operand steps through them as one. Element-wise
 * kernels of every backend walk this merged form: contiguous operands become a single long run.
 *
 * @param dims    the merged dimensions (at least one)
 * @param strides {@code strides[k]} are operand k's strides over {@code dims}
 */
public record MergedLayout(int[] dims, long[][] strides) {

    /** Merges {@code shape} for operands with element strides {@code strides[k]}. */
    public static MergedLayout of(int[] shape, long[][] strides) {
        int operands = strides.length;
        int[] ds = new int[Math.max(1, shape.length)];
        long[][] ss = new long[operands][Math.max(1, shape.length)];
        int r = 0;
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] == 1) {
                continue;
            }
            if (r > 0 && mergeable(ss, r - 1, strides, d, shape[d])) {
                ds[r - 1] *= shape[d];
                for (int k = 0; k < operands; k++) {
                    ss[k][r - 1] = strides[k][d];
                }
                continue;
            }
            ds[r] = shape[d];
            for (int k = 0; k < operands; k++) {
                ss[k][r] = strides[k][d];
            }
            r++;
        }
        if (r == 0) {
            // A single element: any stride reads it; 1 keeps contiguous fast paths.
            ds[0] = 1;
            for (int k = 0; k < operands; k++) {
                ss[k][0] = 1;
            }
            r = 1;
        }
        long[][] merged = new long[operands][];
        for (int k = 0; k < operands; k++) {
            merged[k] = Arrays.copyOf(ss[k], r);
        }
        return new MergedLayout(Arrays.copyOf(ds, r), merged);
    }

    /** Dimension d folds into the previous merged one when, for every operand, stepping it size times equals one outer step. */
    private static boolean mergeable(long[][] merged, int previous, long[][] strides, int d, int size) {
        for (int k = 0; k < strides.length; k++) {
            if (merged[k][previous] != strides[k][d] * size) {
                return false;
            }
        }
        return true;
    }

    public int rank() {
        return dims.length;
    }
}
