package dev.onerec4j.kernels.cuda;

/**
 * One strided-batched GEMM in cuBLAS's column-major terms: {@code D[i] = alpha * op(A[i]) op(B[i]) + beta * C[i]}
 * with {@code op(A)} of size {@code m x k}, {@code op(B)} {@code k x n}, D {@code m x n} (F32, leading dimension
 * {@code ldc}). Batch strides may be 0 (one matrix shared by the whole batch). {@link #rowMajor} builds the spec
 * of a row-major product, which is how the project stores matrices.
 */
public record GemmSpec(boolean transA, boolean transB, int m, int n, int k, int typeA, int typeB, long lda, long ldb,
                       long ldc, int batch, long strideA, long strideB, long strideC) {

    /** {@code cudaDataType} of an F32 matrix. */
    public static final int CUDA_R_32F = 0;
    /** {@code cudaDataType} of a BF16 matrix. */
    public static final int CUDA_R_16BF = 14;

    public GemmSpec {
        if (m < 1 || n < 1 || k < 1 || batch < 1) {
            throw new IllegalArgumentException("GEMM with an empty dimension: m=" + m + " n=" + n + " k=" + k
                    + " batch=" + batch);
        }
        if (lda < rowsA(transA, m, k) || ldb < rowsA(transB, k, n) || ldc < m) {
            throw new IllegalArgumentException("GEMM leading dimensions too small: lda=" + lda + " ldb=" + ldb + " ldc="
                    + ldc + " for m=" + m + " n=" + n + " k=" + k + " transA=" + transA + " transB=" + transB);
        }
    }

    /** Rows of the stored (column-major) matrix whose op is {@code r x c}. */
    static long rowsA(boolean trans, int r, int c) {
        return trans ? c : r;
    }

    /** Rows of the stored A matrix (column-major). */
    public long storedRowsA() {
        return transA ? k : m;
    }

    public long storedColsA() {
        return transA ? m : k;
    }

    public long storedRowsB() {
        return transB ? n : k;
    }

    public long storedColsB() {
        return transB ? k : n;
    }

    /**
     * The spec of the row-major product {@code out[z] (M x N) = a[z] (M x K) * b[z] (K x N)}, where {@code a} is
     * stored row-major with row stride {@code lda} when {@code aTransposed} is false, or as its transpose (element
     * {@code (i, p)} at {@code p * lda + i}) when true; likewise {@code b}; {@code out} is row-major contiguous.
     * A row-major {@code X} is the column-major {@code X^T}, so {@code out^T = b^T a^T}: cuBLAS's A is our b
     * and its B is our a.
     */
    public static GemmSpec rowMajor(int bigM, int bigN, int bigK, int typeOfA, boolean aTransposed, long lda,
                                    long strideA, int typeOfB, boolean bTransposed, long ldb, long strideB,
                                    int batch) {
        // Column-major view of b (row-major K x N, ld = ldb) is an N x K matrix: op = N. Transposed storage is K x N: op = T.
        long ldbFixed = Math.max(ldb, bTransposed ? bigK : bigN);
        long ldaFixed = Math.max(lda, aTransposed ? bigM : bigK);
        return new GemmSpec(bTransposed, aTransposed, bigN, bigM, bigK, typeOfB, typeOfA, ldbFixed, ldaFixed, bigN,
                batch, strideB, strideA, (long) bigM * bigN);
    }
}
