package dev.onerec4j.tensors.backend.cpu;

import dev.onerec4j.kernels.Parallel;
import dev.onerec4j.tensors.backend.MergedLayout;

/**
 * Walks the elements of a shape as runs along the innermost dimension, for several operands that share the
 * shape but not the strides (broadcast views have stride 0), over their {@link MergedLayout}: contiguous
 * operands become one long run that is split across the worker pool.
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
        MergedLayout layout = MergedLayout.of(shape, strides);
        this.dims = layout.dims();
        this.strides = layout.strides();
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
