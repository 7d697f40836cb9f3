package dev.onerec4j.tensors.backend.cpu;

import dev.onerec4j.kernels.Parallel;

/**
 * Walks the elements of a shape as runs along the innermost dimension, for several operands that share the
 * shape but not the strides (broadcast views have stride 0). Adjacent dimensions that are laid out
 * consistently in every operand are merged first, so contiguous operands become one long run that is split
 * across the worker pool.
 */
final class StridedRuns {

    /** Processes one run: {@code offsets[k]} is operand k's element offset of the run's first element. */
    @FunctionalInterface
    interface RunBody {
        void run(long[] offsets, long[] runStrides, int length);
    }

    private static final int PARALLEL_MIN_ELEMENTS = 1 << 15;

    private final int[] dims;
    private final long[][] strides;
    private final long[] baseOffsets;

    /** {@code strides[k]} and {@code offsets[k]} describe operand k over {@code shape}. */
    StridedRuns(int[] shape, long[][] strides, long[] offsets) {
        int operands = strides.length;
        // Drop size-1 dimensions and merge dimension d into d+1 when every operand steps through them as one.
        int[] ds = new int[Math.max(1, shape.length)];
        long[][] ss = new long[operands][Math.max(1, shape.length)];
        int r = 0;
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] == 1) {
                continue;
            }
            if (r > 0) {
                boolean mergeable = true;
                for (int k = 0; k < operands; k++) {
                    if (ss[k][r - 1] != strides[k][d] * shape[d]) {
                        mergeable = false;
                        break;
                    }
                }
                if (mergeable) {
                    ds[r - 1] *= shape[d];
                    for (int k = 0; k < operands; k++) {
                        ss[k][r - 1] = strides[k][d];
                    }
                    continue;
                }
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
        this.dims = java.util.Arrays.copyOf(ds, r);
        this.strides = new long[operands][];
        for (int k = 0; k < operands; k++) {
            this.strides[k] = java.util.Arrays.copyOf(ss[k], r);
        }
        this.baseOffsets = offsets.clone();
    }

    /** Runs {@code body} over every run, in parallel when there is enough work. */
    void forEach(RunBody body) {
        int operands = strides.length;
        int rank = dims.length;
        int runLength = dims[rank - 1];
        long[] runStrides = new long[operands];
        for (int k = 0; k < operands; k++) {
            runStrides[k] = strides[k][rank - 1];
        }
        long total = (long) runLength;
        int rows = 1;
        for (int d = 0; d < rank - 1; d++) {
            rows *= dims[d];
        }
        total *= rows;
        boolean parallel = total >= PARALLEL_MIN_ELEMENTS && Parallel.threads() > 1;
        if (rows == 1) {
            // One long run: split it into chunks.
            int chunk = parallel ? Math.max(4096, (runLength + Parallel.threads() * 4 - 1) / (Parallel.threads() * 4)) : runLength;
            int chunks = (runLength + chunk - 1) / chunk;
            Parallel.forRange(chunks, 1, (from, to) -> {
                long[] offs = new long[operands];
                for (int c = from; c < to; c++) {
                    int start = c * chunk;
                    int len = Math.min(chunk, runLength - start);
                    for (int k = 0; k < operands; k++) {
                        offs[k] = baseOffsets[k] + start * runStrides[k];
                    }
                    body.run(offs, runStrides, len);
                }
            });
            return;
        }
        int grain = parallel ? Math.max(1, PARALLEL_MIN_ELEMENTS / 4 / Math.max(1, runLength)) : rows;
        Parallel.forRange(rows, grain, (from, to) -> {
            long[] offs = new long[operands];
            for (int row = from; row < to; row++) {
                int rem = row;
                for (int k = 0; k < operands; k++) {
                    offs[k] = baseOffsets[k];
                }
                for (int d = rank - 2; d >= 0; d--) {
                    int coord = rem % dims[d];
                    rem /= dims[d];
                    for (int k = 0; k < operands; k++) {
                        offs[k] += coord * strides[k][d];
                    }
                }
                body.run(offs, runStrides, runLength);
            }
        });
    }
}
