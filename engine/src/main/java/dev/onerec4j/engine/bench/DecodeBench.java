package dev.onerec4j.engine.bench;

import dev.onerec4j.engine.data.Signal;
import dev.onerec4j.engine.model.config.ModelConfig;
import dev.onerec4j.engine.sample.FeatureSpace;
import dev.onerec4j.engine.serve.HistoryEntry;
import dev.onerec4j.engine.serve.RecommendRequest;
import dev.onerec4j.engine.serve.Recommender;
import dev.onerec4j.kernels.PeakFlops;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Single-request latency of the whole recommendation path (request resolution, context building, encoding, beam
 * search, answer) for a grid of beam widths and history lengths, against the pure compute floor: the request's
 * model FLOPs ({@link DecodeFlops}) divided by the F32 GEMM rate {@code GemmKernels} reaches on a well-shaped
 * product ({@value #GEMM_SIZE}³), measured in the same run after each configuration's timings so both see the same
 * machine load. The register-only FMA peak ({@link PeakFlops}) is reported alongside.
 */
public final class DecodeBench {

    static final int GEMM_SIZE = 512;

    /** One configuration's figures (times in milliseconds). */
    public record Result(int beamWidth, int history, int k, int runs, double p50Ms, double p99Ms, double meanMs,
                         double gflop, double gemmGflops, double peakGflops) {

        /** The time the request's FLOPs take at the measured GEMM rate. */
        public double floorMs() {
            return gflop / gemmGflops * 1000;
        }

        /** Median latency over the compute floor (1 = as fast as the GEMM allows). */
        public double ratio() {
            return p50Ms / floorMs();
        }
    }

    private final Recommender recommender;
    private final ModelConfig config;
    private final FeatureSpace space;
    private final int contextTokens;
    private final boolean staticToken;
    private final int runs;
    private final long warmupNanos;
    private final List<String> itemIds;
    private final Set<Signal> signals;

    /**
     * @param itemIds the ids history items are drawn from
     * @param signals the feedback signals the model reads (requests send a value of each)
     */
    public DecodeBench(Recommender recommender, ModelConfig config, FeatureSpace space, int runs, long warmupNanos,
                       List<String> itemIds, Set<Signal> signals) {
        if (runs < 1) {
            throw new IllegalArgumentException("decode bench: runs must be >= 1, got " + runs);
        }
        this.recommender = recommender;
        this.config = config;
        this.space = space;
        this.staticToken = config.pathways.userStatic && (space.userFeatureRows() > 0 || config.userIdEmbedding);
        this.contextTokens = (staticToken ? 1 : 0) + config.pathways.shortTerm + config.pathways.positive
                + (config.pathways.lifelong.enabled() ? config.pathways.lifelong.queries : 0);
        this.runs = runs;
        this.warmupNanos = warmupNanos;
        this.itemIds = List.copyOf(itemIds);
        this.signals = Set.copyOf(signals);
    }

    public void run(List<Integer> beams, List<Integer> histories, int k, Consumer<Result> out) {
        int chains = PeakFlops.fastestChains(2e9, 3);
        GemmBench gemm = new GemmBench(Math.max(5, Math.min(15, runs)), 300_000_000L, 2e9);
        // Warm up on every configuration before timing any: the JIT compiles the shared decoding path during the
        // first configurations, which would otherwise be timed half-compiled.
        for (int beam : beams) {
            for (int history : histories) {
                RecommendRequest request = request(beam, history, Math.min(k, beam));
                long end = System.nanoTime() + warmupNanos;
                for (int i = 0; i < 3 || System.nanoTime() < end; i++) {
                    recommender.recommend(request);
                }
            }
        }
        for (int beam : beams) {
            for (int history : histories) {
                out.accept(measure(beam, history, Math.min(k, beam), gemm, chains));
            }
        }
    }

    private RecommendRequest request(int beam, int historyLength, int k) {
        List<HistoryEntry> history = GeneratedRun.history(historyLength, itemIds, signals, historyLength * 31L + beam);
        return new RecommendRequest(null, Map.of(), history, k, beam, List.of(), false);
    }

    private Result measure(int beam, int historyLength, int k, GemmBench gemm, int chains) {
        RecommendRequest request = request(beam, historyLength, k);
        for (int i = 0; i < 3; i++) {
            recommender.recommend(request);
        }
        double[] ms = new double[runs];
        for (int r = 0; r < runs; r++) {
            long t0 = System.nanoTime();
            recommender.recommend(request);
            ms[r] = (System.nanoTime() - t0) / 1e6;
        }
        double mean = Arrays.stream(ms).average().orElse(0);
        Arrays.sort(ms);
        double[] rate = gemm.measure(new GemmBench.Shape(GEMM_SIZE, GEMM_SIZE, GEMM_SIZE), GemmBench.DType.F32, chains);
        double gflop = DecodeFlops.of(config, space, contextTokens, staticToken, beam) / 1e9;
        return new Result(beam, historyLength, k, runs, percentile(ms, 0.5), percentile(ms, 0.99), mean, gflop,
                rate[0], rate[1]);
    }

    /** Nearest-rank percentile of sorted values. */
    static double percentile(double[] sorted, double q) {
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
