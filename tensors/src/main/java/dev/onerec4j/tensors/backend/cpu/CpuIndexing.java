package dev.onerec4j.tensors.backend.cpu;

import dev.onerec4j.kernels.DropoutKernels;
import dev.onerec4j.kernels.IndexKernels;
import dev.onerec4j.kernels.Parallel;
import dev.onerec4j.kernels.TopKKernels;
import dev.onerec4j.tensors.DType;
import dev.onerec4j.tensors.Shapes;
import dev.onerec4j.tensors.Tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Row gathers and scatters, top-k and dropout masks. Every index is checked against the size it addresses
 * before any element moves, so a bad index fails with the primitive's shapes instead of touching memory that
 * belongs to another row or tensor.
 */
final class CpuIndexing {

    /** Elements of a dropout mask per chunk: fixed, so the chunking never depends on the thread count. */
    private static final int DROPOUT_CHUNK = 1 << 16;

    private CpuIndexing() {
    }

    /** {@code src} is {@code [n, ...]} (rows of the trailing dims, contiguous within a row; any row stride). */
    static void indexSelect(Tensor src, Tensor index, Tensor out) {
        String op = "indexSelect";
        int n = requireRows(op, "source", src);
        int width = rowWidth(src);
        int m = requireIndexVector(op, index);
        int[] expected = src.shape();
        expected[0] = m;
        Operands.requireDType(op, "output", out, src.dtype());
        Operands.requireShape(op, "output", out, expected);
        Operands.requireContiguous(op, "output", out);
        checkIndices(op, index, n, "rows of the source " + Shapes.str(src.shape()));
        MemorySegment ss = src.segment();
        MemorySegment is = index.segment();
        MemorySegment os = out.segment();
        long so = src.offset();
        long rowStride = src.stride(0);
        long io = index.offset();
        long ist = index.stride(0);
        long oo = out.offset();
        int bytes = src.dtype().byteSize();
        Parallel.forRange(m, Operands.rowGrain(width), (from, to) ->
                IndexKernels.selectRows(ss, so, rowStride, is, io, ist, os, oo, from, to, width, bytes));
    }

    /**
     * {@code dst[index[i]] += src[i]} row by row. Rows that repeat an index must add up in order, so the work is
     * split over column ranges (each thread owns whole columns of every row), never over the index.
     */
    static void indexAdd(Tensor dst, Tensor index, Tensor src) {
        String op = "indexAdd";
        DType dt = Operands.floating(op, "destination", dst);
        int n = requireRows(op, "destination", dst);
        Operands.requireContiguous(op, "destination", dst);
        int width = rowWidth(dst);
        int m = requireIndexVector(op, index);
        int[] expected = dst.shape();
        expected[0] = m;
        Operands.requireDType(op, "source", src, dt);
        Operands.requireShape(op, "source", src, expected);
        Operands.requireContiguous(op, "source", src);
        checkIndices(op, index, n, "rows of the destination " + Shapes.str(dst.shape()));
        if (m == 0 || width == 0) {
            return;
        }
        MemorySegment ds = dst.segment();
        MemorySegment is = index.segment();
        MemorySegment ss = src.segment();
        long dso = dst.offset();
        long io = index.offset();
        long ist = index.stride(0);
        long so = src.offset();
        boolean parallel = (long) m * width >= 4L * Operands.MIN_CHUNK_ELEMENTS && width >= 256;
        int columnChunk = parallel ? Math.max(128, (width + 4 * Parallel.threads() - 1) / (4 * Parallel.threads())) : width;
        int chunks = (width + columnChunk - 1) / columnChunk;
        Parallel.forRange(chunks, 1, (fromChunk, toChunk) -> {
            int c0 = fromChunk * columnChunk;
            int c1 = Math.min(width, toChunk * columnChunk);
            for (int i = 0; i < m; i++) {
                long row = is.getAtIndex(ValueLayout.JAVA_INT, io + i * ist);
                long dstRow = dso + row * width + c0;
                long srcRow = so + (long) i * width + c0;
                if (dt == DType.F32) {
                    IndexKernels.addRowF32(ss, srcRow, ds, dstRow, c1 - c0);
                } else {
                    IndexKernels.addRowF64(ss, srcRow, ds, dstRow, c1 - c0);
                }
            }
        });
    }

    static void gatherLast(Tensor src, Tensor index, Tensor out) {
        String op = "gatherLast";
        DType dt = src.dtype();
        if (dt == DType.BF16) {
            throw new IllegalArgumentException(op + ": the source must be F32, F64 or I32, got BF16 (cast with to(F32))");
        }
        int[] idxShape = checkLastAxisOperands(op, src, index, "source");
        Operands.requireDType(op, "output", out, dt);
        Operands.requireShape(op, "output", out, idxShape);
        Operands.requireContiguous(op, "output", out);
        int n = Operands.lastDim(src);
        int k = Operands.lastDim(index);
        int rows = Operands.rows(index);
        checkIndices(op, index, n, "entries of the last axis of the source " + Shapes.str(src.shape()));
        MemorySegment ss = src.segment();
        MemorySegment is = index.segment();
        MemorySegment os = out.segment();
        long so = src.offset();
        long io = index.offset();
        long oo = out.offset();
        Parallel.forRange(rows, Operands.rowGrain(k), (from, to) -> {
            for (int r = from; r < to; r++) {
                if (dt == DType.F64) {
                    IndexKernels.gatherRow64(ss, so + (long) r * n, is, io + (long) r * k, os, oo + (long) r * k, k);
                } else {
                    IndexKernels.gatherRow32(ss, so + (long) r * n, is, io + (long) r * k, os, oo + (long) r * k, k);
                }
            }
        });
    }

    static void scatterAddLast(Tensor dst, Tensor index, Tensor src) {
        String op = "scatterAddLast";
        DType dt = Operands.floating(op, "destination", dst);
        int[] idxShape = checkLastAxisOperands(op, dst, index, "destination");
        Operands.requireDType(op, "source", src, dt);
        Operands.requireShape(op, "source", src, idxShape);
        Operands.requireContiguous(op, "source", src);
        int n = Operands.lastDim(dst);
        int k = Operands.lastDim(index);
        int rows = Operands.rows(index);
        checkIndices(op, index, n, "entries of the last axis of the destination " + Shapes.str(dst.shape()));
        MemorySegment ds = dst.segment();
        MemorySegment is = index.segment();
        MemorySegment ss = src.segment();
        long dso = dst.offset();
        long io = index.offset();
        long so = src.offset();
        Parallel.forRange(rows, Operands.rowGrain(k), (from, to) -> {
            for (int r = from; r < to; r++) {
                if (dt == DType.F32) {
                    IndexKernels.scatterAddRowF32(ds, dso + (long) r * n, is, io + (long) r * k, ss, so + (long) r * k, k);
                } else {
                    IndexKernels.scatterAddRowF64(ds, dso + (long) r * n, is, io + (long) r * k, ss, so + (long) r * k, k);
                }
            }
        });
    }

    static void topK(Tensor x, int k, Tensor values, Tensor indices) {
        String op = "topK";
        DType dt = Operands.floating(op, "input", x);
        if (x.rank() == 0) {
            throw new IllegalArgumentException(op + ": the input needs at least one axis, got a scalar");
        }
        Operands.requireContiguous(op, "input", x);
        int n = x.dim(-1);
        if (k < 0 || k > n) {
            throw new IllegalArgumentException(op + ": k = " + k + " is out of range for a last axis of size " + n
                    + " (input " + Shapes.str(x.shape()) + ")");
        }
        int[] outShape = x.shape();
        outShape[outShape.length - 1] = k;
        Operands.requireDType(op, "values", values, dt);
        Operands.requireShape(op, "values", values, outShape);
        Operands.requireContiguous(op, "values", values);
        Operands.requireDType(op, "indices", indices, DType.I32);
        Operands.requireShape(op, "indices", indices, outShape);
        Operands.requireContiguous(op, "indices", indices);
        int rows = Operands.rows(x);
        MemorySegment xs = x.segment();
        MemorySegment vs = values.segment();
        MemorySegment is = indices.segment();
        long xo = x.offset();
        long vo = values.offset();
        long io = indices.offset();
        Parallel.forRange(rows, Operands.rowGrain(n), (from, to) -> {
            // Scratch for the heap, once per block of rows.
            int[] heapIndices = new int[k];
            float[] heapF32 = dt == DType.F32 ? new float[k] : null;
            double[] heapF64 = dt == DType.F64 ? new double[k] : null;
            for (int r = from; r < to; r++) {
                if (dt == DType.F32) {
                    TopKKernels.topKF32(xs, xo + (long) r * n, n, k, heapF32, heapIndices, vs, vo + (long) r * k,
                            is, io + (long) r * k);
                } else {
                    TopKKernels.topKF64(xs, xo + (long) r * n, n, k, heapF64, heapIndices, vs, vo + (long) r * k,
                            is, io + (long) r * k);
                }
            }
        });
    }

    /** Element {@code i}'s fate depends on the seed and {@code i} only: the same mask on any thread count. */
    static void dropoutMask(Tensor mask, double p, long seed) {
        String op = "dropoutMask";
        DType dt = Operands.floating(op, "mask", mask);
        Operands.requireContiguous(op, "mask", mask);
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException(op + ": the drop probability must be in [0, 1], got " + p);
        }
        int threshold = DropoutKernels.threshold(p);
        double scale = p < 1 ? 1.0 / (1.0 - p) : 0.0;
        MemorySegment ms = mask.segment();
        long mo = mask.offset();
        long total = mask.numel();
        int chunks = Math.toIntExact((total + DROPOUT_CHUNK - 1) / DROPOUT_CHUNK);
        Parallel.forRange(chunks, 1, (from, to) -> {
            for (int c = from; c < to; c++) {
                long first = (long) c * DROPOUT_CHUNK;
                int len = (int) Math.min(DROPOUT_CHUNK, total - first);
                if (dt == DType.F32) {
                    DropoutKernels.maskF32(ms, mo + first, first, len, threshold, (float) scale, seed);
                } else {
                    DropoutKernels.maskF64(ms, mo + first, first, len, threshold, scale, seed);
                }
            }
        });
    }

    // ------------------------------------------------------------------ checks

    /** Rows of a row-indexed operand (rank >= 1, unit stride within a row); returns its first dimension. */
    private static int requireRows(String op, String what, Tensor t) {
        if (t.rank() == 0) {
            throw new IllegalArgumentException(op + ": the " + what + " needs at least one axis (the rows), got a scalar");
        }
        // Each row (all trailing dimensions) must be contiguous; the rows themselves may be any stride apart.
        int[] shape = t.shape();
        long expected = 1;
        for (int d = shape.length - 1; d >= 1; d--) {
            if (shape[d] != 1 && t.stride(d) != expected) {
                throw new IllegalArgumentException(op + ": the rows of the " + what + " must be contiguous, got shape "
                        + Shapes.str(shape) + " with strides " + java.util.Arrays.toString(t.strides())
                        + " (call contiguous() first)");
            }
            expected *= shape[d];
        }
        return shape[0];
    }

    private static int rowWidth(Tensor t) {
        long w = 1;
        for (int d = 1; d < t.rank(); d++) {
            w *= t.dim(d);
        }
        return Math.toIntExact(w);
    }

    private static int requireIndexVector(String op, Tensor index) {
        Operands.requireDType(op, "index", index, DType.I32);
        if (index.rank() != 1) {
            throw new IllegalArgumentException(op + ": the index must be a vector (rank 1), got shape "
                    + Shapes.str(index.shape()));
        }
        return index.dim(0);
    }

    /** Checks index/source layout for the last-axis gathers; returns the index shape. */
    private static int[] checkLastAxisOperands(String op, Tensor data, Tensor index, String what) {
        if (data.rank() == 0) {
            throw new IllegalArgumentException(op + ": the " + what + " needs at least one axis, got a scalar");
        }
        Operands.requireContiguous(op, what, data);
        Operands.requireDType(op, "index", index, DType.I32);
        Operands.requireContiguous(op, "index", index);
        int[] ds = data.shape();
        int[] is = index.shape();
        boolean ok = ds.length == is.length;
        for (int d = 0; ok && d < ds.length - 1; d++) {
            ok = ds[d] == is[d];
        }
        if (!ok) {
            throw new IllegalArgumentException(op + ": the index " + Shapes.str(is) + " must match the " + what + " "
                    + Shapes.str(ds) + " in every dimension but the last");
        }
        return is;
    }

    /** Every entry of {@code index} (any layout) must lie in {@code [0, size)}. */
    private static void checkIndices(String op, Tensor index, int size, String what) {
        MemorySegment s = index.segment();
        long n = index.numel();
        if (index.isContiguous()) {
            long off = index.offset();
            for (long i = 0; i < n; i++) {
                int v = s.getAtIndex(ValueLayout.JAVA_INT, off + i);
                if (v < 0 || v >= size) {
                    throw outOfRange(op, index, i, v, size, what);
                }
            }
            return;
        }
        for (long i = 0; i < n; i++) {
            int v = (int) index.getFlat(i);
            if (v < 0 || v >= size) {
                throw outOfRange(op, index, i, v, size, what);
            }
        }
    }

    private static IndexOutOfBoundsException outOfRange(String op, Tensor index, long position, int value, int size,
                                                        String what) {
        return new IndexOutOfBoundsException(op + ": index " + value + " at position " + position + " of the index "
                + Shapes.str(index.shape()) + " is out of range for the " + size + " " + what);
    }
}
