package dev.onerec4j.engine.tokenizer.quant;

import dev.onerec4j.engine.tokenizer.Progress;
import dev.onerec4j.kernels.Parallel;

/**
 * RQ-Kmeans (OneRec report, section 2.1.2): residual quantisation whose codebooks are k-means centroids of the
 * residuals. Level 1 clusters the vectors; each vector's residual is what its centroid leaves over; level 2
 * clusters those residuals; and so on. Codes are coarse to fine.
 */
public final class RqKmeans {

    private RqKmeans() {
    }

    /**
     * The fitted codebooks and every vector's code as assigned during the fit ({@code [n, levels]}; with the
     * balanced assignment these respect the capacities and may differ from greedy nearest-codeword encoding).
     */
    public record Result(ResidualCodebooks codebooks, int[] codes, int[] repairedPerLevel) {
    }

    /** Progress units {@link #fit} reports: per level, {@code maxIterations + 1}. */
    public static long progressUnits(int levels, KMeansSettings s) {
        return (long) levels * (s.maxIterations() + 1);
    }

    /**
     * Fits {@code sizes.length} levels on the {@code n} vectors of {@code x} (row-major {@code [n, d]}); level
     * {@code l} uses seed {@code seed + l}.
     */
    public static Result fit(float[] x, int n, int d, int[] sizes, KMeansSettings settings, long seed, Progress progress) {
        int levels = sizes.length;
        float[] residual = x.clone();
        float[][] codebooks = new float[levels][];
        int[] codes = new int[n * levels];
        int[] repaired = new int[levels];
        for (int l = 0; l < levels; l++) {
            KMeans.Result r = KMeans.fit(residual, n, d, sizes[l], settings, seed + l, progress);
            codebooks[l] = r.centroids();
            repaired[l] = r.repaired();
            int level = l;
            float[] cb = r.centroids();
            int[] assignment = r.assignment();
            Parallel.forRange(n, 1024, (from, to) -> {
                for (int i = from; i < to; i++) {
                    int c = assignment[i];
                    codes[i * levels + level] = c;
                    int xo = i * d;
                    int co = c * d;
                    for (int j = 0; j < d; j++) {
                        residual[xo + j] -= cb[co + j];
                    }
                }
            });
        }
        return new Result(new ResidualCodebooks(d, codebooks), codes, repaired);
    }
}
