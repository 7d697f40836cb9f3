package dev.onerec4j.engine.tokenizer.quant;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The distance kernels against a double-precision scalar reference, on odd sizes that leave vector tails. */
class DistanceKernelsTest {

    private static final int[][] SHAPES = {
            // n, d, k
            {1, 1, 1}, {3, 7, 5}, {4, 16, 16}, {5, 13, 17}, {13, 64, 37}, {101, 65, 33}, {9, 3, 100}};

    private static float[] random(SplittableRandom r, int size) {
        float[] v = new float[size];
        for (int i = 0; i < size; i++) {
            v[i] = (float) (r.nextGaussian() * (1 + (i % 3)));
        }
        return v;
    }

    private static double reference(float[] x, int i, float[] c, int j, int d) {
        double s = 0;
        for (int t = 0; t < d; t++) {
            double v = (double) x[i * d + t] - c[j * d + t];
            s += v * v;
        }
        return s;
    }

    private static double scale(float[] x, int i, float[] c, int j, int d) {
        double s = 0;
        for (int t = 0; t < d; t++) {
            s += (double) x[i * d + t] * x[i * d + t] + (double) c[j * d + t] * c[j * d + t];
        }
        return s;
    }

    @Test
    void distanceRowsMatchTheReference() {
        SplittableRandom r = new SplittableRandom(1);
        for (int[] s : SHAPES) {
            int n = s[0], d = s[1], k = s[2];
            float[] x = random(r, n * d);
            float[] c = random(r, k * d);
            CentroidPanel p = CentroidPanel.of(c, k, d);
            float[] out = new float[n * p.rowLength()];
            DistanceKernels.distanceRows(x, 0, n, p, out, 0);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < p.rowLength(); j++) {
                    float got = out[i * p.rowLength() + j];
                    if (j >= k) {
                        assertEquals(Float.POSITIVE_INFINITY, got, "padding column " + j);
                        continue;
                    }
                    double ref = reference(x, i, c, j, d);
                    // |x|^2 + |c|^2 - 2 x.c in float: the rounding error scales with the norms, not the distance.
                    double tol = 1e-5 * ref + 4e-7 * scale(x, i, c, j, d) + 1e-6;
                    assertTrue(Math.abs(got - ref) <= tol, "shape " + n + "x" + d + "x" + k + " point " + i
                            + " centroid " + j + ": " + got + " vs " + ref);
                }
            }
        }
    }

    @Test
    void nearestFindsTheReferenceMinimum() {
        SplittableRandom r = new SplittableRandom(2);
        for (int[] s : SHAPES) {
            int n = s[0] * 40 + 3, d = s[1], k = s[2];
            float[] x = random(r, n * d);
            float[] c = random(r, k * d);
            int[] index = new int[n];
            float[] dist = new float[n];
            DistanceKernels.nearest(x, n, CentroidPanel.of(c, k, d), index, dist);
            for (int i = 0; i < n; i++) {
                double best = Double.POSITIVE_INFINITY;
                for (int j = 0; j < k; j++) {
                    best = Math.min(best, reference(x, i, c, j, d));
                }
                double chosen = reference(x, i, c, index[i], d);
                double tol = 1e-6 * scale(x, i, c, index[i], d) + 1e-6;
                assertTrue(chosen <= best + tol, "point " + i + ": chose " + chosen + ", best " + best);
                assertEquals(chosen, dist[i], 1e-5 * chosen + tol);
            }
        }
    }

    @Test
    void nearestMListsTheClosestInOrder() {
        SplittableRandom r = new SplittableRandom(3);
        int n = 57, d = 19, k = 41, m = 6;
        float[] x = random(r, n * d);
        float[] c = random(r, k * d);
        int[] index = new int[n * m];
        float[] dist = new float[n * m];
        DistanceKernels.nearestM(x, n, CentroidPanel.of(c, k, d), m, index, dist);
        for (int i = 0; i < n; i++) {
            double[] ref = new double[k];
            for (int j = 0; j < k; j++) {
                ref[j] = reference(x, i, c, j, d);
            }
            double[] sorted = ref.clone();
            java.util.Arrays.sort(sorted);
            for (int t = 0; t < m; t++) {
                if (t > 0) {
                    assertTrue(dist[i * m + t] >= dist[i * m + t - 1], "ascending");
                }
                double tol = 1e-6 * scale(x, i, c, index[i * m + t], d) + 1e-6;
                assertEquals(sorted[t], ref[index[i * m + t]], tol, "rank " + t + " of point " + i);
            }
        }
    }

    @Test
    void smallestMKeepsTheLowerIndexAtTies() {
        float[] row = {3, 1, 2, 1, 0, 2, 1};
        int[] index = new int[4];
        float[] dist = new float[4];
        DistanceKernels.smallestM(row, 0, row.length, 4, index, dist, 0);
        assertArrayEquals(new int[] {4, 1, 3, 6}, index);
        assertArrayEquals(new float[] {0, 1, 1, 1}, dist);
        assertEquals(4, DistanceKernels.argmin(row, 0, row.length));
        assertEquals(1, DistanceKernels.argmin(row, 0, 4));
    }

    @Test
    void normsAndDistancesMatchTheReference() {
        SplittableRandom r = new SplittableRandom(4);
        for (int d : new int[] {1, 7, 8, 31, 33, 64, 65, 100, 131, 257}) {
            float[] a = random(r, d + 3);
            float[] b = random(r, d + 5);
            double norm = 0;
            double dist = 0;
            for (int j = 0; j < d; j++) {
                norm += (double) a[3 + j] * a[3 + j];
                dist += ((double) a[3 + j] - b[5 + j]) * ((double) a[3 + j] - b[5 + j]);
            }
            assertEquals(norm, DistanceKernels.squaredNorm(a, 3, d), 1e-5 * norm);
            assertEquals(dist, DistanceKernels.squaredDistance(a, 3, b, 5, d), 1e-5 * dist);
        }
    }
}
