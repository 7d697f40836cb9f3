package dev.onerec4j.engine.bench;

import dev.onerec4j.kernels.Bf16;
import dev.onerec4j.kernels.GemmKernels;
import dev.onerec4j.kernels.Parallel;
import dev.onerec4j.kernels.PeakFlops;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Measures GEMM throughput: each shape and dtype runs until the JIT has settled, then a number of timed runs
 * whose median is reported, next to the machine's FP32 FMA peak measured in the same process
 * ({@link PeakFlops}). Each timed product is followed by a register-only FMA trial of about the same length, and
 * the peak reported with a shape is the median of those trials: on a shared machine the product and its peak then
 * see the same load, so the fraction of peak stays meaningful while absolute numbers drift.
 */
public final class GemmBench {

    /** A product {@code [m, k] x [k, n]}. */
    public record Shape(int m, int n, int k) {
        public Shape {
            if (m <= 0 || n <= 0 || k <= 0) {
                throw new IllegalArgumentException("GEMM shape sizes must be positive, got " + m + "x" + n + "x" + k);
            }
        }

        /** Parses {@code MxNxK}. */
        public static Shape parse(String text) {
            String[] parts = text.trim().toLowerCase(Locale.ROOT).split("x");
            if (parts.length != 3) {
                throw new IllegalArgumentException("a GEMM shape is MxNxK (e.g. 1024x1024x1024), got '" + text + "'");
            }
            try {
                return new Shape(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2]));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("a GEMM shape is MxNxK with integer sizes, got '" + text + "'", e);
            }
        }

        double flops() {
            return 2.0 * m * n * k;
        }

        @Override
        public String toString() {
            return m + "x" + n + "x" + k;
        }
    }

    /** Element types of the operands (C is always F32). */
    public enum DType { F32, BF16 }

    /** One measured line. */
    public record Result(int m, int n, int k, String dtype, int threads, double gflops, double peakGflops, int runs) {
        public double fractionOfPeak() {
            return gflops / peakGflops;
        }
    }

    /** The shapes measured when none are given: square, tall-thin and wide products of a transformer layer. */
    public static final List<Shape> DEFAULT_SHAPES = List.of(
            new Shape(1024, 1024, 1024), new Shape(4096, 256, 1024), new Shape(4096, 1024, 256), new Shape(256, 4096, 1024));

    /** JIT warm-up per shape: at least this long and {@link #MIN_WARMUP_RUNS} runs. */
    public static final long DEFAULT_WARMUP_NANOS = 1_500_000_000L;
    /** FLOPs per thread in one peak trial: about a fifth of a second at 100 GFLOPS a core. */
    public static final double DEFAULT_PEAK_TRIAL_FLOPS = 2e10;
    private static final int MIN_WARMUP_RUNS = 5;
    private static final int PEAK_TRIALS = 7;

    private final int runs;
    private final long warmupNanos;
    private final double peakTrialFlops;

    public GemmBench(int runs) {
        this(runs, DEFAULT_WARMUP_NANOS, DEFAULT_PEAK_TRIAL_FLOPS);
    }

    /** A bench with shorter warm-up and peak trials (tests), or longer ones (noisy machines). */
    public GemmBench(int runs, long warmupNanos, double peakTrialFlops) {
        if (runs < 1) {
            throw new IllegalArgumentException("the number of timed runs must be at least 1, got " + runs);
        }
        if (warmupNanos < 0 || !(peakTrialFlops > 0)) {
            throw new IllegalArgumentException("warm-up time must not be negative and peak trials must do work, got "
                    + warmupNanos + " ns and " + peakTrialFlops + " FLOPs");
        }
        this.runs = runs;
        this.warmupNanos = warmupNanos;
        this.peakTrialFlops = peakTrialFlops;
    }

    /** Finds the fastest FMA loop once, then measures every shape in every dtype, in order. */
    public List<Result> run(List<Shape> shapes, List<DType> dtypes, java.util.function.Consumer<Result> onResult) {
        int chains = PeakFlops.fastestChains(peakTrialFlops, PEAK_TRIALS);
        List<Result> results = new ArrayList<>();
        for (Shape s : shapes) {
            for (DType d : dtypes) {
                double[] gemmAndPeak = measure(s, d, chains);
                Result r = new Result(s.m, s.n, s.k, d.name(), Parallel.threads(), gemmAndPeak[0], gemmAndPeak[1], runs);
                results.add(r);
                onResult.accept(r);
            }
        }
        return results;
    }

    /**
     * Median GFLOPS of {@code C = A * B} for one shape and dtype after warm-up, and the median GFLOPS of the
     * {@code chains}-chain FMA trials interleaved with the timed products.
     */
    public double[] measure(Shape s, DType d, int chains) {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment a = random(arena, (long) s.m * s.k, d, 1);
            MemorySegment b = random(arena, (long) s.k * s.n, d, 2);
            MemorySegment c = arena.allocate((long) s.m * s.n * Float.BYTES, 64);
            long warmupEnd = System.nanoTime() + warmupNanos;
            for (int i = 0; i < MIN_WARMUP_RUNS || System.nanoTime() < warmupEnd; i++) {
                multiply(s, d, a, b, c);
            }
            double[] gflops = new double[runs];
            double[] peak = new double[runs];
            double trialFlops = Math.min(peakTrialFlops, s.flops() / Parallel.threads());
            PeakFlops.trialGflops(chains, trialFlops);
            for (int r = 0; r < runs; r++) {
                long start = System.nanoTime();
                multiply(s, d, a, b, c);
                gflops[r] = s.flops() / (System.nanoTime() - start);
                peak[r] = PeakFlops.trialGflops(chains, trialFlops);
            }
            Arrays.sort(gflops);
            Arrays.sort(peak);
            return new double[] {gflops[runs / 2], peak[runs / 2]};
        }
    }

    private static void multiply(Shape s, DType d, MemorySegment a, MemorySegment b, MemorySegment c) {
        if (d == DType.F32) {
            GemmKernels.sgemm(false, false, s.m, s.n, s.k, 1f, a, 0, s.k, b, 0, s.n, 0f, c, 0, s.n);
        } else {
            GemmKernels.gemmBf16(false, false, s.m, s.n, s.k, 1f, a, 0, s.k, b, 0, s.n, 0f, c, 0, s.n);
        }
    }

    private static MemorySegment random(Arena arena, long count, DType d, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        if (d == DType.F32) {
            MemorySegment s = arena.allocate(count * Float.BYTES, 64);
            for (long i = 0; i < count; i++) {
                s.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) (random.nextDouble() * 2 - 1));
            }
            return s;
        }
        MemorySegment s = arena.allocate(count * Short.BYTES, 64);
        for (long i = 0; i < count; i++) {
            s.setAtIndex(ValueLayout.JAVA_SHORT, i, Bf16.fromFloat((float) (random.nextDouble() * 2 - 1)));
        }
        return s;
    }
}
