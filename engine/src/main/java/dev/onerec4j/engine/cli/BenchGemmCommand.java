package dev.onerec4j.engine.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.onerec4j.engine.UserException;
import dev.onerec4j.engine.bench.GemmBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@code bench gemm}: GEMM GFLOPS per shape and dtype against the FMA peak measured in the same run. */
@Command(name = "gemm", mixinStandardHelpOptions = true,
        description = "GEMM throughput (median GFLOPS after JIT warm-up) per shape and dtype, "
                + "with this machine's FP32 FMA peak measured in the same run.")
public final class BenchGemmCommand implements Runnable {

    @Option(names = "--shapes", split = ",", paramLabel = "MxNxK",
            description = "Products to measure, comma separated (default: 1024x1024x1024,4096x256x1024,4096x1024x256,256x4096x1024).")
    List<String> shapes;

    @Option(names = "--dtypes", split = ",", defaultValue = "F32,BF16", paramLabel = "DTYPE",
            description = "Operand types: F32, BF16 (default: ${DEFAULT-VALUE}).")
    List<String> dtypes;

    @Option(names = "--threads", paramLabel = "N",
            description = "Worker threads (default: the pool size, one per core).")
    Integer threads;

    @Option(names = "--runs", defaultValue = "15", paramLabel = "N",
            description = "Timed runs per shape after warm-up; the median is reported (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--json", description = "Print one JSON object per line instead of a table.")
    boolean json;

    @Override
    public void run() {
        List<GemmBench.Shape> parsedShapes = new ArrayList<>();
        List<GemmBench.DType> parsedTypes = new ArrayList<>();
        try {
            if (shapes == null || shapes.isEmpty()) {
                parsedShapes.addAll(GemmBench.DEFAULT_SHAPES);
            } else {
                for (String s : shapes) {
                    parsedShapes.add(GemmBench.Shape.parse(s));
                }
            }
            for (String d : dtypes) {
                parsedTypes.add(GemmBench.DType.valueOf(d.trim().toUpperCase(Locale.ROOT)));
            }
        } catch (IllegalArgumentException e) {
            throw new UserException("bench gemm: " + e.getMessage()
                    + (e.getMessage() != null && e.getMessage().contains("No enum") ? " (use F32 or BF16)" : ""), e);
        }
        if (runs < 1) {
            throw new UserException("bench gemm: --runs must be at least 1, got " + runs);
        }
        int poolThreads = PoolSize.configure(threads, "bench gemm");
        ObjectMapper mapper = new ObjectMapper();
        if (!json) {
            System.out.printf(Locale.ROOT, "GEMM, %d threads, median of %d runs after warm-up; FP32 FMA peak measured "
                    + "by register-only trials interleaved with the runs%n", poolThreads, runs);
        }
        boolean[] headerDone = {false};
        new GemmBench(runs).run(parsedShapes, parsedTypes, r -> {
            if (json) {
                ObjectNode o = mapper.createObjectNode();
                o.put("m", r.m()).put("n", r.n()).put("k", r.k()).put("dtype", r.dtype()).put("threads", r.threads())
                        .put("gflops", round(r.gflops())).put("peak_gflops", round(r.peakGflops()))
                        .put("fraction_of_peak", Math.round(r.fractionOfPeak() * 1000) / 1000.0).put("runs", r.runs());
                System.out.println(o);
            } else {
                if (!headerDone[0]) {
                    System.out.printf(Locale.ROOT, "%n%-18s %-5s %8s %11s %9s%n",
                            "shape (MxNxK)", "dtype", "GFLOPS", "peak GFLOPS", "% peak");
                    headerDone[0] = true;
                }
                System.out.printf(Locale.ROOT, "%-18s %-5s %8.1f %11.1f %8.1f%%%n", r.m() + "x" + r.n() + "x" + r.k(),
                        r.dtype(), r.gflops(), r.peakGflops(), 100 * r.fractionOfPeak());
            }
            System.out.flush();
        });
    }

    private static double round(double x) {
        return Math.round(x * 10) / 10.0;
    }
}
