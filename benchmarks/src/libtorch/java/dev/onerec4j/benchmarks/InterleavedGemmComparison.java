package dev.onerec4j.benchmarks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.onerec4j.kernels.Bf16;
import dev.onerec4j.kernels.GemmKernels;
import dev.onerec4j.kernels.Parallel;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The GEMM comparison for a busy machine: onerec4j F32, libtorch F32 and onerec4j BF16 run in turn within one JVM,
 * product after product, so a change of load hits all three alike; medians of the per-product GFLOPS and their
 * ratios are printed. Start it with the same thread count for both libraries:
 * {@code OMP_NUM_THREADS=N java --add-modules jdk.incubator.vector -Donerec4j.threads=N
 * -Dai.djl.pytorch.num_threads=N -Dai.djl.pytorch.num_interop_threads=1 -Dai.djl.offline=true
 * -cp benchmarks.jar dev.onerec4j.benchmarks.InterleavedGemmComparison [rounds]}.
 * With one thread for both ({@code N = 1}) it times each product by the CPU time of the calling thread, which
 * both libraries then compute on: the single-core speed, unaffected by other processes taking turns on the core.
 */
public final class InterleavedGemmComparison {

    private static final String[] SHAPES = {"1024x1024x1024", "4096x256x1024", "4096x1024x256", "256x4096x1024"};

    private InterleavedGemmComparison() {
    }

    private static final ThreadMXBean THREAD_TIMES = ManagementFactory.getThreadMXBean();

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 21;
        boolean cpuTime = Parallel.threads() == 1 && "1".equals(System.getProperty("ai.djl.pytorch.num_threads"))
                && THREAD_TIMES.isCurrentThreadCpuTimeSupported();
        System.out.printf(Locale.ROOT, "GEMM, %d threads (onerec4j pool; libtorch num_threads=%s, OMP_NUM_THREADS=%s), "
                        + "median of %d interleaved rounds, timed by %s%n", Parallel.threads(),
                System.getProperty("ai.djl.pytorch.num_threads"), System.getenv("OMP_NUM_THREADS"), rounds,
                cpuTime ? "the calling thread's CPU time (single core)" : "wall clock");
        System.out.printf(Locale.ROOT, "%-16s %12s %12s %14s %14s %14s%n", "shape (MxNxK)", "onerec4j F32",
                "onerec4j BF16", "libtorch F32", "F32 ours/torch", "BF16/F32 ours");
        try (NDManager manager = NDManager.newBaseManager("PyTorch"); Arena arena = Arena.ofShared()) {
            for (String shape : SHAPES) {
                int[] s = GemmBenchmark.parseShape(shape);
                int m = s[0];
                int n = s[1];
                int k = s[2];
                float[] av = random((long) m * k, 1);
                float[] bv = random((long) k * n, 2);
                MemorySegment a = floats(arena, av);
                MemorySegment b = floats(arena, bv);
                MemorySegment ah = bf16(arena, av);
                MemorySegment bh = bf16(arena, bv);
                MemorySegment c = arena.allocate((long) m * n * Float.BYTES, 64);
                NDArray ta = manager.create(av, new Shape(m, k));
                NDArray tb = manager.create(bv, new Shape(k, n));
                double flops = 2.0 * m * n * k;
                double[][] g = new double[3][rounds];
                for (int r = -5; r < rounds; r++) {
                    long t0 = now(cpuTime);
                    GemmKernels.sgemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, 0, n);
                    long t1 = now(cpuTime);
                    try (NDArray tc = ta.matMul(tb)) {
                        if (tc.getShape().get(0) != m) {
                            throw new IllegalStateException("libtorch returned shape " + tc.getShape());
                        }
                    }
                    long t2 = now(cpuTime);
                    GemmKernels.gemmBf16(false, false, m, n, k, 1f, ah, 0, k, bh, 0, n, 0f, c, 0, n);
                    long t3 = now(cpuTime);
                    if (r >= 0) {
                        g[0][r] = flops / (t1 - t0);
                        g[1][r] = flops / (t2 - t1);
                        g[2][r] = flops / (t3 - t2);
                    } else {
                        // Warm-up rounds; the first products also bring the JIT to our kernels.
                        for (int w = 0; w < 3; w++) {
                            GemmKernels.sgemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, 0, n);
                            GemmKernels.gemmBf16(false, false, m, n, k, 1f, ah, 0, k, bh, 0, n, 0f, c, 0, n);
                        }
                    }
                }
                ta.close();
                tb.close();
                double ours = median(g[0]);
                double torch = median(g[1]);
                double oursBf16 = median(g[2]);
                System.out.printf(Locale.ROOT, "%-16s %12.1f %12.1f %14.1f %13.2fx %13.2fx%n", shape, ours, oursBf16, torch,
                        ours / torch, oursBf16 / ours);
            }
        }
    }

    private static long now(boolean cpuTime) {
        return cpuTime ? THREAD_TIMES.getCurrentThreadCpuTime() : System.nanoTime();
    }

    private static double median(double[] x) {
        double[] s = x.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static float[] random(long count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = new float[Math.toIntExact(count)];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return x;
    }

    private static MemorySegment floats(Arena arena, float[] x) {
        MemorySegment s = arena.allocate((long) x.length * Float.BYTES, 64);
        MemorySegment.copy(x, 0, s, ValueLayout.JAVA_FLOAT, 0, x.length);
        return s;
    }

    private static MemorySegment bf16(Arena arena, float[] x) {
        MemorySegment s = arena.allocate((long) x.length * Short.BYTES, 64);
        for (int i = 0; i < x.length; i++) {
            s.setAtIndex(ValueLayout.JAVA_SHORT, i, Bf16.fromFloat(x[i]));
        }
        return s;
    }
}
