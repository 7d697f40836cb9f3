package dev.onerec4j.engine.tokenizer.quant;

import dev.onerec4j.kernels.Parallel;

import java.util.Arrays;

/**
 * Capacity-constrained assignment of points to centroids: no centroid takes more than {@code capacity} points.
 * A greedy approximation of the optimal (min-cost-flow) assignment:
 * <ol>
 *   <li>every point finds its {@code m} nearest centroids (in parallel);</li>
 *   <li>points are served in order of regret, the distance they lose by getting their second choice instead of
 *       their first (largest first, then by index), and each takes the nearest of its candidates that still has
 *       room;</li>
 *   <li>the few points whose candidates are all full scan every centroid, again in regret order, and take the
 *       nearest with room.</li>
 * </ol>
 * Deterministic: the outcome depends only on the inputs, not on the number of threads.
 */
final class BalancedAssignment {

    private static final int OVERFLOW_CHUNK = 1024;

    private BalancedAssignment() {
    }

    /** The capacity of a centroid when {@code n} points share {@code k} centroids at {@code factor}. */
    static int capacity(int n, int k, double factor) {
        return (int) Math.min(n, Math.ceil(factor * n / k));
    }

    /**
     * Assigns the {@code n} points of {@code x}; writes {@code index[i]} and its squared distance {@code dist[i]}.
     * {@code capacity * k} must be at least {@code n}.
     */
    static void assign(float[] x, int n, CentroidPanel panel, int capacity, int candidates, int[] index, float[] dist) {
        int k = panel.size();
        if ((long) capacity * k < n) {
            throw new IllegalArgumentException("balanced assignment: " + k + " centroids of capacity " + capacity
                    + " cannot hold " + n + " points");
        }
        int m = Math.min(candidates, k);
        int[] candIndex = new int[n * m];
        float[] candDist = new float[n * m];
        DistanceKernels.nearestM(x, n, panel, m, candIndex, candDist);
        long[] order = new long[n];
        for (int i = 0; i < n; i++) {
            float regret = m > 1 ? candDist[i * m + 1] - candDist[i * m] : 0f;
            int bits = Float.floatToIntBits(Math.max(0f, regret));
            // Largest regret first: sort ascending on (MAX - bits), then on the point index.
            order[i] = ((long) (Integer.MAX_VALUE - bits) << 32) | i;
        }
        Arrays.sort(order);
        int[] load = new int[k];
        int[] overflow = new int[n];
        int overflowCount = 0;
        for (long key : order) {
            int i = (int) key;
            boolean placed = false;
            for (int j = 0; j < m; j++) {
                int c = candIndex[i * m + j];
                if (load[c] < capacity) {
                    load[c]++;
                    index[i] = c;
                    dist[i] = candDist[i * m + j];
                    placed = true;
                    break;
                }
            }
            if (!placed) {
                overflow[overflowCount++] = i;
            }
        }
        placeOverflow(x, panel, capacity, overflow, overflowCount, load, index, dist);
    }

    /** Full scans for the points whose candidates were all full, served in the order they overflowed. */
    private static void placeOverflow(float[] x, CentroidPanel panel, int capacity, int[] overflow, int count,
                                      int[] load, int[] index, float[] dist) {
        int d = panel.dim();
        int k = panel.size();
        int kp = panel.rowLength();
        float[] points = new float[Math.min(count, OVERFLOW_CHUNK) * d];
        float[] rows = new float[Math.min(count, OVERFLOW_CHUNK) * kp];
        for (int start = 0; start < count; start += OVERFLOW_CHUNK) {
            int len = Math.min(OVERFLOW_CHUNK, count - start);
            for (int t = 0; t < len; t++) {
                System.arraycopy(x, overflow[start + t] * d, points, t * d, d);
            }
            Parallel.forRange(len, 64, (from, to) -> DistanceKernels.distanceRows(points, from, to, panel, rows, from * kp));
            for (int t = 0; t < len; t++) {
                int best = -1;
                float bestDist = Float.POSITIVE_INFINITY;
                for (int c = 0; c < k; c++) {
                    float v = rows[t * kp + c];
                    if (load[c] < capacity && (best < 0 || v < bestDist)) {
                        best = c;
                        bestDist = v;
                    }
                }
                int i = overflow[start + t];
                load[best]++;
                index[i] = best;
                dist[i] = bestDist;
            }
        }
    }
}
