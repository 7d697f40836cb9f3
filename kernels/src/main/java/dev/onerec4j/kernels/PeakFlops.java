package dev.onerec4j.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;

/**
 * Measures the machine's FP32 FMA peak the way the kernels can reach it: register-only Vector API loops of
 * independent FMA chains, run at once on every thread of the worker pool. How many chains run fastest depends on
 * the core (FMA latency times FMA pipes, register count) and on how C2 lays the loop out (on Zen 3 ten chains beat
 * eight and twelve by 10%), so 8, 10 and 12 chains are all measured and the fastest counts. GEMM speed is reported
 * as a fraction of this number.
 */
public final class PeakFlops {

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int[] CHAINS = {8, 10, 12};

    private PeakFlops() {
    }

    /**
     * The best median GFLOPS over the chain counts, each run {@code trials} times on all pool threads with about
     * {@code flopsPerThread} FLOPs per thread per trial; untimed runs first warm the JIT up.
     */
    public static double measureGflops(double flopsPerThread, int trials) {
        check(flopsPerThread, trials);
        double best = 0;
        for (int chains : CHAINS) {
            best = Math.max(best, medianGflops(chains, flopsPerThread, trials));
        }
        return best;
    }

    /** The chain count (8, 10 or 12) whose loop runs fastest on this machine, by the median of {@code trials}. */
    public static int fastestChains(double flopsPerThread, int trials) {
        check(flopsPerThread, trials);
        int bestChains = CHAINS[0];
        double best = 0;
        for (int chains : CHAINS) {
            double g = medianGflops(chains, flopsPerThread, trials);
            if (g > best) {
                best = g;
                bestChains = chains;
            }
        }
        return bestChains;
    }

    /**
     * One timed run of the {@code chains}-chain loop on all pool threads, about {@code flopsPerThread} FLOPs each:
     * benchmarks interleave these with their own runs so that both see the same load on a shared machine.
     */
    public static double trialGflops(int chains, double flopsPerThread) {
        if (chains != 8 && chains != 10 && chains != 12) {
            throw new IllegalArgumentException("PeakFlops: chains must be 8, 10 or 12, got " + chains);
        }
        check(flopsPerThread, 1);
        int threads = Parallel.threads();
        float[] sink = new float[threads];
        long iterations = iterations(chains, flopsPerThread);
        long start = System.nanoTime();
        runOnAllThreads(chains, threads, iterations, sink);
        long elapsed = System.nanoTime() - start;
        requireFinite(sink);
        return 2.0 * chains * F.length() * iterations * threads / elapsed;
    }

    private static double medianGflops(int chains, double flopsPerThread, int trials) {
        int threads = Parallel.threads();
        float[] sink = new float[threads];
        long iterations = iterations(chains, flopsPerThread);
        for (int w = 0; w < 3; w++) {
            runOnAllThreads(chains, threads, Math.min(iterations, 1_000_000L), sink);
        }
        double[] gflops = new double[trials];
        for (int t = 0; t < trials; t++) {
            long start = System.nanoTime();
            runOnAllThreads(chains, threads, iterations, sink);
            long elapsed = System.nanoTime() - start;
            gflops[t] = 2.0 * chains * F.length() * iterations * threads / elapsed;
        }
        requireFinite(sink);
        Arrays.sort(gflops);
        return gflops[trials / 2];
    }

    private static long iterations(int chains, double flopsPerThread) {
        return Math.max(1000L, (long) (flopsPerThread / (2.0 * chains * F.length())));
    }

    private static void check(double flopsPerThread, int trials) {
        if (!(flopsPerThread > 0) || trials <= 0) {
            throw new IllegalArgumentException("PeakFlops: the work per trial and the number of trials must be positive, got "
                    + flopsPerThread + " and " + trials);
        }
    }

    private static void requireFinite(float[] sink) {
        for (float s : sink) {
            if (Float.isNaN(s)) {
                throw new IllegalStateException("PeakFlops: the FMA chains diverged");
            }
        }
    }

    private static void runOnAllThreads(int chains, int threads, long iterations, float[] sink) {
        Parallel.forRange(threads, 1, (from, to) -> {
            for (int t = from; t < to; t++) {
                sink[t] = switch (chains) {
                    case 8 -> chains8(iterations, t);
                    case 10 -> chains10(iterations, t);
                    default -> chains12(iterations, t);
                };
            }
        });
    }

    // Independent FMA chains on registers only; the result feeds a sink so the loop cannot be removed.

    private static float chains8(long iterations, int seed) {
        FloatVector x = FloatVector.broadcast(F, 0.999999f);
        FloatVector y = FloatVector.broadcast(F, 1e-7f * (seed + 1));
        FloatVector a0 = FloatVector.broadcast(F, 1f);
        FloatVector a1 = a0.add(y);
        FloatVector a2 = a1.add(y);
        FloatVector a3 = a2.add(y);
        FloatVector a4 = a3.add(y);
        FloatVector a5 = a4.add(y);
        FloatVector a6 = a5.add(y);
        FloatVector a7 = a6.add(y);
        for (long i = 0; i < iterations; i++) {
            a0 = a0.fma(x, y);
            a1 = a1.fma(x, y);
            a2 = a2.fma(x, y);
            a3 = a3.fma(x, y);
            a4 = a4.fma(x, y);
            a5 = a5.fma(x, y);
            a6 = a6.fma(x, y);
            a7 = a7.fma(x, y);
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).reduceLanes(VectorOperators.ADD);
    }

    private static float chains10(long iterations, int seed) {
        FloatVector x = FloatVector.broadcast(F, 0.999999f);
        FloatVector y = FloatVector.broadcast(F, 1e-7f * (seed + 1));
        FloatVector a0 = FloatVector.broadcast(F, 1f);
        FloatVector a1 = a0.add(y);
        FloatVector a2 = a1.add(y);
        FloatVector a3 = a2.add(y);
        FloatVector a4 = a3.add(y);
        FloatVector a5 = a4.add(y);
        FloatVector a6 = a5.add(y);
        FloatVector a7 = a6.add(y);
        FloatVector a8 = a7.add(y);
        FloatVector a9 = a8.add(y);
        for (long i = 0; i < iterations; i++) {
            a0 = a0.fma(x, y);
            a1 = a1.fma(x, y);
            a2 = a2.fma(x, y);
            a3 = a3.fma(x, y);
            a4 = a4.fma(x, y);
            a5 = a5.fma(x, y);
            a6 = a6.fma(x, y);
            a7 = a7.fma(x, y);
            a8 = a8.fma(x, y);
            a9 = a9.fma(x, y);
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).reduceLanes(VectorOperators.ADD);
    }

    private static float chains12(long iterations, int seed) {
        FloatVector x = FloatVector.broadcast(F, 0.999999f);
        FloatVector y = FloatVector.broadcast(F, 1e-7f * (seed + 1));
        FloatVector a0 = FloatVector.broadcast(F, 1f);
        FloatVector a1 = a0.add(y);
        FloatVector a2 = a1.add(y);
        FloatVector a3 = a2.add(y);
        FloatVector a4 = a3.add(y);
        FloatVector a5 = a4.add(y);
        FloatVector a6 = a5.add(y);
        FloatVector a7 = a6.add(y);
        FloatVector a8 = a7.add(y);
        FloatVector a9 = a8.add(y);
        FloatVector a10 = a9.add(y);
        FloatVector a11 = a10.add(y);
        for (long i = 0; i < iterations; i++) {
            a0 = a0.fma(x, y);
            a1 = a1.fma(x, y);
            a2 = a2.fma(x, y);
            a3 = a3.fma(x, y);
            a4 = a4.fma(x, y);
            a5 = a5.fma(x, y);
            a6 = a6.fma(x, y);
            a7 = a7.fma(x, y);
            a8 = a8.fma(x, y);
            a9 = a9.fma(x, y);
            a10 = a10.fma(x, y);
            a11 = a11.fma(x, y);
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11).reduceLanes(VectorOperators.ADD);
    }
}
