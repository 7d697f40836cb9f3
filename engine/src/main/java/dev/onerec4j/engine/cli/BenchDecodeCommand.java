package dev.onerec4j.engine.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.onerec4j.engine.UserException;
import dev.onerec4j.engine.bench.DecodeBench;
import dev.onerec4j.engine.bench.GeneratedRun;
import dev.onerec4j.engine.model.config.ConfigLoader;
import dev.onerec4j.engine.model.config.RunConfig;
import dev.onerec4j.engine.serve.Recommender;
import dev.onerec4j.engine.serve.RecommenderOptions;
import dev.onerec4j.engine.train.AtomicFiles;
import dev.onerec4j.engine.train.RunCatalog;
import dev.onerec4j.engine.train.RunDirectory;
import dev.onerec4j.engine.train.RunInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** {@code bench decode}: single-request recommendation latency against the compute floor. */
@Command(name = "decode", mixinStandardHelpOptions = true, description = {
        "Single-request latency (p50/p99) of the whole recommendation path for a grid of beam widths and history "
                + "lengths, and its ratio to the compute floor: the request's model FLOPs over the F32 GEMM rate "
                + "measured in the same run (GemmKernels, 512x512x512).",
        "Without --model, a model of the --config shape with random weights over a generated catalogue is used."})
public final class BenchDecodeCommand implements Runnable {

    @Option(names = "--model", paramLabel = "RUN", description = "A trained run folder (default: a generated model).")
    Path model;

    @Option(names = "--config", defaultValue = "onerec-0.015b",
            description = "Shape of the generated model: preset or JSON file (default: ${DEFAULT-VALUE}).")
    String config;

    @Option(names = "--items", defaultValue = "12101", description = "Items of the generated catalogue (default: ${DEFAULT-VALUE}).")
    int items;

    @Option(names = "--codebook", defaultValue = "256", description = "Tokens per SID level of the generated catalogue (default: ${DEFAULT-VALUE}).")
    int codebook;

    @Option(names = "--beams", split = ",", defaultValue = "32,128,512", description = "Beam widths (default: ${DEFAULT-VALUE}).")
    List<Integer> beams;

    @Option(names = "--history", split = ",", defaultValue = "50,256,1000", description = "History lengths (default: ${DEFAULT-VALUE}).")
    List<Integer> histories;

    @Option(names = "-k", defaultValue = "10", description = "Items per answer (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--runs", defaultValue = "40", description = "Timed requests per configuration (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--warmup-ms", defaultValue = "3000", description = "JIT warm-up per configuration, all configurations warmed before any is timed (default: ${DEFAULT-VALUE}).")
    long warmupMs;

    @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: one per core).")
    Integer threads;

    @Option(names = "--json", description = "One JSON object per line instead of a table.")
    boolean json;

    @Override
    public void run() {
        if (runs < 1 || k < 1 || warmupMs < 0) {
            throw new UserException("bench decode: --runs and -k must be >= 1 and --warmup-ms >= 0");
        }
        for (int b : beams) {
            if (b < 1) {
                throw new UserException("bench decode: beam widths must be >= 1, got " + b);
            }
        }
        for (int h : histories) {
            if (h < 1) {
                throw new UserException("bench decode: history lengths must be >= 1, got " + h);
            }
        }
        int poolThreads = PoolSize.configure(threads, "bench decode");
        Path tmp = null;
        Path run = model;
        try {
            if (run == null) {
                RunConfig cfg = ConfigLoader.load(config);
                tmp = Files.createTempDirectory("onerec4j-bench-decode");
                run = GeneratedRun.write(tmp.resolve("run"), cfg, items, codebook, 1);
            }
            RunDirectory dir = RunDirectory.open(run);
            RunInfo info = RunInfo.load(dir);
            RunCatalog catalog = RunCatalog.load(dir.catalog());
            int maxBeam = beams.stream().mapToInt(Integer::intValue).max().orElse(1);
            int maxHistory = histories.stream().mapToInt(Integer::intValue).max().orElse(1);
            RecommenderOptions options = RecommenderOptions.defaults()
                    .withLimits(Math.max(k, 1), Math.max(maxBeam, 1), Math.max(maxHistory, 1), 10);
            try (Recommender rec = Recommender.open(run, options)) {
                if (!json) {
                    System.out.printf(Locale.ROOT, "bench decode: %s %s, %,d parameters, %,d items, %d threads; "
                                    + "single requests, median and p99 of %d after %d ms warm-up of each configuration%n",
                            model == null ? "generated " + config : run.toString(),
                            info.config().model.architecture.id(), info.parameters(), catalog.itemIds().size(),
                            poolThreads, runs, warmupMs);
                    System.out.printf(Locale.ROOT, "%5s %7s %9s %9s %8s %10s %9s %7s%n", "beam", "history", "p50 ms",
                            "p99 ms", "GFLOP", "GEMM GF/s", "floor ms", "ratio");
                }
                ObjectMapper mapper = new ObjectMapper();
                new DecodeBench(rec, info.config().model, info.space(), runs, warmupMs * 1_000_000L, catalog.itemIds(),
                        catalog.signals()).run(beams, histories, k, r -> {
                    if (json) {
                        ObjectNode o = mapper.createObjectNode();
                        o.put("beam", r.beamWidth()).put("history", r.history()).put("k", r.k())
                                .put("runs", r.runs()).put("p50_ms", round(r.p50Ms())).put("p99_ms", round(r.p99Ms()))
                                .put("mean_ms", round(r.meanMs())).put("gflop", Math.round(r.gflop() * 1e6) / 1e6)
                                .put("gemm_gflops", round(r.gemmGflops())).put("gemm_shape", "512x512x512 F32")
                                .put("fma_peak_gflops", round(r.peakGflops())).put("floor_ms", round(r.floorMs()))
                                .put("ratio_to_floor", round(r.ratio())).put("threads", poolThreads);
                        System.out.println(o);
                    } else {
                        System.out.printf(Locale.ROOT, "%5d %7d %9.2f %9.2f %8.3f %10.1f %9.2f %7.2f%n",
                                r.beamWidth(), r.history(), r.p50Ms(), r.p99Ms(), r.gflop(), r.gemmGflops(),
                                r.floorMs(), r.ratio());
                    }
                    System.out.flush();
                });
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (tmp != null) {
                AtomicFiles.deleteTree(tmp);
            }
        }
    }

    private static double round(double x) {
        return Math.round(x * 1000) / 1000.0;
    }
}
