package dev.onerec4j.engine.tokenizer.quant;

import dev.onerec4j.engine.tokenizer.Progress;
import dev.onerec4j.kernels.Parallel;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * k-means for codebooks: k-means++ seeding, Lloyd iterations, empty-cluster repair, optional sampling of the
 * fitting set and an optional balanced (capacity-constrained) assignment. Deterministic for a seed: random
 * draws come from one seeded stream, the parallel parts (distances, nearest centroids) are independent per
 * point, and every reduction (centroid sums, the seeding distribution) runs serially in point order, so the
 * result does not depend on the number of threads.
 */
public final class KMeans {

    private static final int GRAIN = 512;

    private KMeans() {
    }

    /**
     * The fitted codebook and the assignment of every input point.
     *
     * @param centroids  row-major {@code [k, d]}
     * @param assignment the code of each point
     * @param distance   each point's squared distance to its centroid
     * @param inertia    sum of {@code distance}
     * @param iterations Lloyd iterations run on the fitting set
     * @param repaired   empty clusters re-seeded over the whole fit
     */
    public record Result(float[] centroids, int[] assignment, float[] distance, double inertia, int iterations,
                         int repaired) {
    }

    /**
     * Clusters the {@code n} points of {@code x} (row-major {@code [n, d]}) into {@code k} clusters. Reports
     * one unit of progress per Lloyd iteration ({@code maxIterations} in all, plus one for the final pass).
     */
    public static Result fit(float[] x, int n, int d, int k, KMeansSettings s, long seed, Progress progress) {
        if (k < 1 || k > n) {
            throw new IllegalArgumentException("k-means: cannot make " + k + " clusters of " + n + " points");
        }
        if (x.length < (long) n * d) {
            throw new IllegalArgumentException("k-means: " + x.length + " values for " + n + " points of dimension " + d);
        }
        SplittableRandom rng = new SplittableRandom(seed);
        int sampleSize = s.samplePerCentroid() == 0 ? n : (int) Math.min(n, (long) k * s.samplePerCentroid());
        boolean sampled = sampleSize < n;
        float[] fitSet = sampled ? rows(x, d, sample(n, sampleSize, rng)) : x;
        int m = sampleSize;

        float[] centroids = seedPlusPlus(fitSet, m, d, k, rng);
        int[] assign = new int[m];
        float[] dist = new float[m];
        int[] counts = new int[k];
        int repaired = 0;
        int iterations = 0;
        double previous = Double.POSITIVE_INFINITY;
        for (int it = 0; it < s.maxIterations(); it++) {
            iterations++;
            double inertia = assign(fitSet, m, centroids, k, d, s, assign, dist);
            updateCentroids(fitSet, m, d, k, assign, centroids, counts);
            repaired += repairEmpty(fitSet, m, d, k, assign, dist, counts, centroids);
            progress.advance(1);
            if (previous - inertia <= s.tolerance() * previous) {
                break;
            }
            previous = inertia;
        }
        progress.advance(s.maxIterations() - iterations);
        int[] all = new int[n];
        float[] allDist = new float[n];
        if (sampled) {
            // One refinement pass over every point, then the final assignment.
            assign(x, n, centroids, k, d, s, all, allDist);
            updateCentroids(x, n, d, k, all, centroids, counts);
            repaired += repairEmpty(x, n, d, k, all, allDist, counts, centroids);
        }
        double inertia = assign(x, n, centroids, k, d, s, all, allDist);
        progress.advance(1);
        return new Result(centroids, all, allDist, inertia, iterations, repaired);
    }

    /** Assigns every point (nearest or balanced) and returns the inertia. */
    static double assign(float[] x, int n, float[] centroids, int k, int d, KMeansSettings s, int[] assign, float[] dist) {
        CentroidPanel panel = CentroidPanel.of(centroids, k, d);
        if (s.balanced()) {
            BalancedAssignment.assign(x, n, panel, BalancedAssignment.capacity(n, k, s.capacityFactor()),
                    s.balanceCandidates(), assign, dist);
        } else {
            DistanceKernels.nearest(x, n, panel, assign, dist);
        }
        double inertia = 0;
        for (int i = 0; i < n; i++) {
            inertia += dist[i];
        }
        return inertia;
    }

    /** Centroids := means of their points (sums in double, serially in point order); empty ones keep their value. */
    static void updateCentroids(float[] x, int n, int d, int k, int[] assign, float[] centroids, int[] counts) {
        double[] sums = new double[k * d];
        Arrays.fill(counts, 0);
        for (int i = 0; i < n; i++) {
            int c = assign[i];
            counts[c]++;
            int xo = i * d;
            int so = c * d;
            for (int j = 0; j < d; j++) {
                sums[so + j] += x[xo + j];
            }
        }
        for (int c = 0; c < k; c++) {
            if (counts[c] == 0) {
                continue;
            }
            double inv = 1.0 / counts[c];
            for (int j = 0; j < d; j++) {
                centroids[c * d + j] = (float) (sums[c * d + j] * inv);
            }
        }
    }

    /**
     * Re-seeds every empty cluster at the point farthest from its own centroid among clusters with more than one
     * point, and moves that point there. Returns the number of clusters repaired.
     */
    static int repairEmpty(float[] x, int n, int d, int k, int[] assign, float[] dist, int[] counts, float[] centroids) {
        int empty = 0;
        for (int c = 0; c < k; c++) {
            if (counts[c] == 0) {
                empty++;
            }
        }
        if (empty == 0) {
            return 0;
        }
        long[] byDistance = new long[n];
        for (int i = 0; i < n; i++) {
            // Farthest first (distances are >= 0, so their bits order like the values), then lowest index.
            byDistance[i] = ((long) (Integer.MAX_VALUE - Float.floatToIntBits(dist[i])) << 32) | i;
        }
        Arrays.sort(byDistance);
        int next = 0;
        int repaired = 0;
        for (int c = 0; c < k; c++) {
            if (counts[c] != 0) {
                continue;
            }
            while (next < n && counts[assign[(int) byDistance[next]]] <= 1) {
                next++;
            }
            if (next == n) {
                break; // fewer distinct donors than empty clusters: only possible with n < 2k duplicates
            }
            int p = (int) byDistance[next++];
            counts[assign[p]]--;
            assign[p] = c;
            counts[c] = 1;
            dist[p] = 0f;
            System.arraycopy(x, p * d, centroids, c * d, d);
            repaired++;
        }
        return repaired;
    }

    /**
     * k-means++ seeding: the first centroid uniformly, each next one with probability proportional to the squared
     * distance to the nearest centroid chosen so far. The distance update runs in parallel, the draw serially.
     */
    static float[] seedPlusPlus(float[] x, int n, int d, int k, SplittableRandom rng) {
        float[] centroids = new float[k * d];
        float[] minDist = new float[n];
        int first = rng.nextInt(n);
        System.arraycopy(x, first * d, centroids, 0, d);
        Parallel.forRange(n, GRAIN, (from, to) -> {
            for (int i = from; i < to; i++) {
                minDist[i] = DistanceKernels.squaredDistance(x, i * d, centroids, 0, d);
            }
        });
        for (int c = 1; c < k; c++) {
            double total = 0;
            for (int i = 0; i < n; i++) {
                total += minDist[i];
            }
            int pick;
            if (total <= 0) {
                pick = rng.nextInt(n); // every point coincides with a centroid: any point will do
            } else {
                double u = rng.nextDouble() * total;
                double acc = 0;
                pick = n - 1;
                for (int i = 0; i < n; i++) {
                    acc += minDist[i];
                    if (acc > u && minDist[i] > 0) {
                        pick = i;
                        break;
                    }
                }
            }
            int co = c * d;
            System.arraycopy(x, pick * d, centroids, co, d);
            Parallel.forRange(n, GRAIN, (from, to) -> {
                for (int i = from; i < to; i++) {
                    float v = DistanceKernels.squaredDistance(x, i * d, centroids, co, d);
                    if (v < minDist[i]) {
                        minDist[i] = v;
                    }
                }
            });
        }
        return centroids;
    }

    /** {@code size} distinct indices of {@code [0, n)}, drawn by a partial Fisher-Yates shuffle, in ascending order. */
    static int[] sample(int n, int size, SplittableRandom rng) {
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        for (int i = 0; i < size; i++) {
            int j = i + rng.nextInt(n - i);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        int[] out = Arrays.copyOf(perm, size);
        Arrays.sort(out);
        return out;
    }

    static float[] rows(float[] x, int d, int[] indices) {
        float[] out = new float[indices.length * d];
        for (int r = 0; r < indices.length; r++) {
            System.arraycopy(x, indices[r] * d, out, r * d, d);
        }
        return out;
    }
}
