package dev.onerec4j.benchmarks;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Runs {@link GemmBenchmark} and {@link LibtorchGemmBenchmark} in one JMH run with the same thread count and
 * prints, per shape, onerec4j's F32 and BF16 GFLOPS, libtorch's F32 GFLOPS and the ratios.
 * Usage: {@code OMP_NUM_THREADS=N java -cp benchmarks.jar dev.onerec4j.benchmarks.GemmComparison [threads]}.
 */
public final class GemmComparison {

    private GemmComparison() {
    }

    public static void main(String[] args) throws RunnerException {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : Runtime.getRuntime().availableProcessors();
        String omp = System.getenv("OMP_NUM_THREADS");
        if (omp == null || !omp.equals(Integer.toString(threads))) {
            System.err.println("warning: OMP_NUM_THREADS is " + omp + ", not " + threads
                    + "; libtorch may use a different number of threads than onerec4j");
        }
        Options options = new OptionsBuilder()
                .include(GemmBenchmark.class.getName() + ".gemm$")
                .include(LibtorchGemmBenchmark.class.getName() + ".gemm$")
                // Options replace the classes' @Fork arguments, so every flag either fork needs is listed here.
                .jvmArgsAppend("--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                        "-Dai.djl.offline=true", "-Donerec4j.threads=" + threads,
                        "-Dai.djl.pytorch.num_threads=" + threads, "-Dai.djl.pytorch.num_interop_threads=1")
                .build();
        Collection<RunResult> results = new Runner(options).run();
        Map<String, double[]> rows = new LinkedHashMap<>();
        for (RunResult r : results) {
            String shape = r.getParams().getParam("shape");
            int[] s = GemmBenchmark.parseShape(shape);
            double gflops = 2.0 * s[0] * s[1] * s[2] / (r.getPrimaryResult().getScore() * 1e6);
            double[] row = rows.computeIfAbsent(shape, x -> new double[] {Double.NaN, Double.NaN, Double.NaN});
            boolean ours = r.getParams().getBenchmark().startsWith(GemmBenchmark.class.getName());
            if (!ours) {
                row[2] = gflops;
            } else if ("BF16".equals(r.getParams().getParam("dtype"))) {
                row[1] = gflops;
            } else {
                row[0] = gflops;
            }
        }
        System.out.printf(Locale.ROOT, "%nGEMM, %d threads (GFLOPS; JMH average time per product converted as 2mnk/t)%n", threads);
        System.out.printf(Locale.ROOT, "%-16s %12s %12s %14s %14s %14s%n", "shape (MxNxK)", "onerec4j F32",
                "onerec4j BF16", "libtorch F32", "F32 ours/torch", "BF16/F32 ours");
        for (Map.Entry<String, double[]> e : rows.entrySet()) {
            double[] v = e.getValue();
            System.out.printf(Locale.ROOT, "%-16s %12.1f %12.1f %14.1f %13.2fx %13.2fx%n",
                    e.getKey(), v[0], v[1], v[2], v[0] / v[2], v[1] / v[0]);
        }
    }
}
