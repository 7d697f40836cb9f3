package dev.onerec4j.kernels.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * cuBLASLt ({@code libcublasLt.so.13}) for the project's matrix products: F32 x F32 and BF16 x BF16 inputs, F32
 * output, FP32 accumulation ({@code CUBLAS_COMPUTE_32F}, no TF32 down-conversion), strided batches including
 * batch stride 0. Descriptors, layouts and the heuristic's chosen algorithm are built once per {@link GemmSpec}
 * and reused; a 32 MiB workspace is allocated once.
 */
public final class CublasLt {

    static final int CUBLAS_COMPUTE_32F = 68;
    static final int CUBLASLT_MATMUL_DESC_TRANSA = 3;
    static final int CUBLASLT_MATMUL_DESC_TRANSB = 4;
    static final int CUBLASLT_MATRIX_LAYOUT_BATCH_COUNT = 5;
    static final int CUBLASLT_MATRIX_LAYOUT_STRIDED_BATCH_OFFSET = 6;
    static final int CUBLASLT_MATMUL_PREF_MAX_WORKSPACE_BYTES = 1;
    static final int CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_A_BYTES = 5;
    static final int CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_B_BYTES = 6;
    static final int CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_C_BYTES = 7;
    static final int CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_D_BYTES = 8;
    /** The alignment cuBLASLt assumes unless told otherwise. */
    static final int DEFAULT_ALIGNMENT = 256;
    static final int CUBLAS_OP_N = 0;
    static final int CUBLAS_OP_T = 1;
    /** {@code sizeof(cublasLtMatmulHeuristicResult_t)}: algo (64) + workspaceSize (8) + state + wavesCount + reserved[4]. */
    static final int HEURISTIC_RESULT_BYTES = 96;
    static final long WORKSPACE_BYTES = 32L << 20;

    private static volatile CublasLt instance;
    private static volatile CudaUnavailableException failure;

    private final NativeLibrary lib;
    private final MethodHandle create;
    private final MethodHandle statusName;
    private final MethodHandle statusString;
    private final MethodHandle descCreate;
    private final MethodHandle descSetAttribute;
    private final MethodHandle layoutCreate;
    private final MethodHandle layoutSetAttribute;
    private final MethodHandle prefCreate;
    private final MethodHandle prefSetAttribute;
    private final MethodHandle heuristic;
    private final MethodHandle matmul;

    private final CudaContext context;
    private final Arena arena = Arena.ofShared();
    private final long handle;
    private final long workspace;
    private final Map<PlanKey, Plan> plans = new ConcurrentHashMap<>();

    /**
     * A GEMM shape with the alignment of its three pointers: cuBLASLt's heuristic assumes 256-byte aligned
     * matrices unless the preference says otherwise, and a view into a tensor (a slice, a head) often starts at a
     * smaller alignment, so algorithms are chosen per alignment.
     */
    record PlanKey(GemmSpec spec, int alignA, int alignB, int alignD) {
    }

    /** Descriptors and algorithm of one GEMM shape; {@code algo} points at the heuristic result's first 64 bytes. */
    private record Plan(long desc, long layoutA, long layoutB, long layoutC, MemorySegment algo, long workspaceBytes) {
    }

    private CublasLt(NativeLibrary lib, CudaContext context) {
        this.lib = lib;
        this.context = context;
        create = lib.function(FunctionDescriptor.of(JAVA_INT, ADDRESS), "cublasLtCreate");
        statusName = lib.function(FunctionDescriptor.of(ADDRESS, JAVA_INT), "cublasLtGetStatusName");
        statusString = lib.function(FunctionDescriptor.of(ADDRESS, JAVA_INT), "cublasLtGetStatusString");
        descCreate = lib.function(FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), "cublasLtMatmulDescCreate");
        descSetAttribute = lib.function(FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG),
                "cublasLtMatmulDescSetAttribute");
        layoutCreate = lib.function(FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG),
                "cublasLtMatrixLayoutCreate");
        layoutSetAttribute = lib.function(FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG),
                "cublasLtMatrixLayoutSetAttribute");
        prefCreate = lib.function(FunctionDescriptor.of(JAVA_INT, ADDRESS), "cublasLtMatmulPreferenceCreate");
        prefSetAttribute = lib.function(FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG),
                "cublasLtMatmulPreferenceSetAttribute");
        heuristic = lib.function(FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG,
                JAVA_LONG, JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS), "cublasLtMatmulAlgoGetHeuristic");
        // (handle, desc, alpha*, A, Adesc, B, Bdesc, beta*, C, Cdesc, D, Ddesc, algo*, workspace, workspaceBytes, stream)
        matmul = lib.function(FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_LONG, JAVA_LONG,
                JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_LONG, JAVA_LONG,
                JAVA_LONG), "cublasLtMatmul");
        context.makeCurrent();
        MemorySegment out = arena.allocate(JAVA_LONG);
        try {
            check("cublasLtCreate", (int) create.invokeExact(out));
            handle = out.get(JAVA_LONG, 0);

        } catch (CudaException e) {
            throw e;
        } catch (Throwable t) {
            throw new CudaException("cublasLt", -1, "cuBLASLt initialisation failed: " + t);
        }
        workspace = context.driver().memAlloc(WORKSPACE_BYTES);
    }

    /** cuBLASLt bound to {@link CudaContext#get()}, loaded on first use. */
    public static CublasLt get() {
        CublasLt c = instance;
        if (c != null) {
            return c;
        }
        synchronized (CublasLt.class) {
            if (instance != null) {
                return instance;
            }
            if (failure != null) {
                throw failure;
            }
            NativeLibrary lib;
            try {
                lib = NativeLibrary.load(LibraryLocator.fromEnvironment(), "libcublasLt.so", "13", "12");
            } catch (CudaUnavailableException e) {
                failure = e;
                throw e;
            }
            instance = new CublasLt(lib, CudaContext.get());
            return instance;
        }
    }

    public String libraryPath() {
        return lib.description();
    }

    private String describe(int code) {
        String name = CudaErrors.cublasName(code);
        String text = null;
        try {
            String n = NativeLibrary.cString((MemorySegment) statusName.invokeExact(code));
            if (n != null) {
                name = n;
            }
            text = NativeLibrary.cString((MemorySegment) statusString.invokeExact(code));
        } catch (Throwable ignored) {
            // Fall back to the table's name.
        }
        return CudaErrors.message("", code, name, text).substring(" failed: ".length());
    }

    private void check(String call, int rc) {
        if (rc != 0) {
            throw new CudaException(call, rc, call + " failed: " + describe(rc));
        }
    }

    /** The largest power of two (at most 256) dividing {@code address}. */
    static int alignment(long address) {
        if (address == 0) {
            return DEFAULT_ALIGNMENT;
        }
        return (int) Math.min(DEFAULT_ALIGNMENT, Long.lowestOneBit(address));
    }

    private Plan plan(PlanKey key) {
        return plans.computeIfAbsent(key, this::build);
    }

    private long preference(Arena tmp, PlanKey key) throws Throwable {
        MemorySegment out = tmp.allocate(JAVA_LONG);
        check("cublasLtMatmulPreferenceCreate", (int) prefCreate.invokeExact(out));
        long pref = out.get(JAVA_LONG, 0);
        MemorySegment ws = tmp.allocate(JAVA_LONG);
        ws.set(JAVA_LONG, 0, WORKSPACE_BYTES);
        check("cublasLtMatmulPreferenceSetAttribute(MAX_WORKSPACE_BYTES)",
                (int) prefSetAttribute.invokeExact(pref, CUBLASLT_MATMUL_PREF_MAX_WORKSPACE_BYTES, ws, 8L));
        int[][] alignments = {
            {CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_A_BYTES, key.alignA()},
            {CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_B_BYTES, key.alignB()},
            {CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_C_BYTES, key.alignD()},
            {CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_D_BYTES, key.alignD()},
        };
        MemorySegment u32 = tmp.allocate(JAVA_INT);
        for (int[] a : alignments) {
            u32.set(JAVA_INT, 0, a[1]);
            check("cublasLtMatmulPreferenceSetAttribute(MIN_ALIGNMENT " + a[0] + ")",
                    (int) prefSetAttribute.invokeExact(pref, a[0], u32, 4L));
        }
        return pref;
    }

    private Plan build(PlanKey key) {
        GemmSpec s = key.spec();
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment out = tmp.allocate(JAVA_LONG);
            MemorySegment i32 = tmp.allocate(JAVA_INT);
            check("cublasLtMatmulDescCreate", (int) descCreate.invokeExact(out, CUBLAS_COMPUTE_32F, GemmSpec.CUDA_R_32F));
            long desc = out.get(JAVA_LONG, 0);
            i32.set(JAVA_INT, 0, s.transA() ? CUBLAS_OP_T : CUBLAS_OP_N);
            check("cublasLtMatmulDescSetAttribute(TRANSA)", (int) descSetAttribute.invokeExact(desc, CUBLASLT_MATMUL_DESC_TRANSA, i32, 4L));
            i32.set(JAVA_INT, 0, s.transB() ? CUBLAS_OP_T : CUBLAS_OP_N);
            check("cublasLtMatmulDescSetAttribute(TRANSB)", (int) descSetAttribute.invokeExact(desc, CUBLASLT_MATMUL_DESC_TRANSB, i32, 4L));
            long la = layout(tmp, s.typeA(), s.storedRowsA(), s.storedColsA(), s.lda(), s.batch(), s.strideA());
            long lb = layout(tmp, s.typeB(), s.storedRowsB(), s.storedColsB(), s.ldb(), s.batch(), s.strideB());
            long lc = layout(tmp, GemmSpec.CUDA_R_32F, s.m(), s.n(), s.ldc(), s.batch(), s.strideC());
            MemorySegment results = arena.allocate(HEURISTIC_RESULT_BYTES, 16);
            MemorySegment count = tmp.allocate(JAVA_INT);
            long preference = preference(tmp, key);
            check("cublasLtMatmulAlgoGetHeuristic(" + s + ")", (int) heuristic.invokeExact(handle, desc, la, lb, lc, lc,
                    preference, 1, results, count));
            if (count.get(JAVA_INT, 0) < 1) {
                throw new CudaException("cublasLtMatmulAlgoGetHeuristic", 15, "cuBLASLt has no algorithm for " + s);
            }
            long wsBytes = results.get(JAVA_LONG, 64);
            return new Plan(desc, la, lb, lc, results.asSlice(0, 64), wsBytes);
        } catch (CudaException e) {
            throw e;
        } catch (Throwable t) {
            throw new CudaException("cublasLt", -1, "building the cuBLASLt plan for " + s + " failed: " + t);
        }
    }

    private long layout(Arena tmp, int type, long rows, long cols, long ld, int batch, long stride) throws Throwable {
        MemorySegment out = tmp.allocate(JAVA_LONG);
        check("cublasLtMatrixLayoutCreate", (int) layoutCreate.invokeExact(out, type, rows, cols, ld));
        long l = out.get(JAVA_LONG, 0);
        if (batch > 1) {
            MemorySegment i32 = tmp.allocate(JAVA_INT);
            i32.set(JAVA_INT, 0, batch);
            check("cublasLtMatrixLayoutSetAttribute(BATCH_COUNT)", (int) layoutSetAttribute.invokeExact(l,
                    CUBLASLT_MATRIX_LAYOUT_BATCH_COUNT, i32, 4L));
            MemorySegment i64 = tmp.allocate(JAVA_LONG);
            i64.set(JAVA_LONG, 0, stride);
            check("cublasLtMatrixLayoutSetAttribute(STRIDED_BATCH_OFFSET)", (int) layoutSetAttribute.invokeExact(l,
                    CUBLASLT_MATRIX_LAYOUT_STRIDED_BATCH_OFFSET, i64, 8L));
        }
        return l;
    }

    /** Runs {@code d = alpha * op(a) op(b) + beta * d} on the context's stream (d is both C and D). */
    public void matmul(GemmSpec spec, long a, long b, long d, float alpha, float beta) {
        Plan p = plan(new PlanKey(spec, alignment(a), alignment(b), alignment(d)));
        context.makeCurrent();
        MemorySegment scalars = Scratch.get();
        scalars.set(JAVA_FLOAT, 0, alpha);
        scalars.set(JAVA_FLOAT, 4, beta);
        int rc;
        try {
            rc = (int) matmul.invokeExact(handle, p.desc(), scalars, a, p.layoutA(), b, p.layoutB(), scalars.asSlice(4),
                    d, p.layoutC(), d, p.layoutC(), p.algo(), workspace, Math.min(p.workspaceBytes(), WORKSPACE_BYTES),
                    context.stream());
        } catch (Throwable t) {
            throw new CudaException("cublasLtMatmul", -1, "cublasLtMatmul(" + spec + ") failed: " + t);
        }
        if (rc != 0) {
            throw new CudaException("cublasLtMatmul", rc, "cublasLtMatmul(" + spec + ") failed: " + describe(rc));
        }
    }
}
