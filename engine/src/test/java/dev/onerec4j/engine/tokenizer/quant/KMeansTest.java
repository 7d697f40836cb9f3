package dev.onerec4j.engine.tokenizer.quant;

import dev.onerec4j.engine.tokenizer.Progress;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KMeansTest {

    /** {@code blobs} well separated Gaussian blobs of {@code perBlob} points each; returns points and labels. */
    static float[] blobs(int blobs, int perBlob, int d, double spread, long seed, int[] labels) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] centres = new float[blobs * d];
        for (int i = 0; i < centres.length; i++) {
            centres[i] = (float) (r.nextGaussian() * 10);
        }
        float[] x = new float[blobs * perBlob * d];
        for (int p = 0; p < blobs * perBlob; p++) {
            int b = p % blobs;
            labels[p] = b;
            for (int j = 0; j < d; j++) {
                x[p * d + j] = centres[b * d + j] + (float) (r.nextGaussian() * spread);
            }
        }
        return x;
    }

    private static int[] counts(int[] assignment, int k) {
        int[] c = new int[k];
        for (int a : assignment) {
            c[a]++;
        }
        return c;
    }

    @Test
    void recoversPlantedClusters() {
        int blobs = 12, per = 50, d = 10;
        int[] labels = new int[blobs * per];
        float[] x = blobs(blobs, per, d, 0.5, 7, labels);
        KMeans.Result r = KMeans.fit(x, blobs * per, d, blobs, KMeansSettings.defaults(), 11, Progress.NONE);
        // Every planted cluster maps to exactly one centroid and vice versa.
        int[] centroidOf = new int[blobs];
        java.util.Arrays.fill(centroidOf, -1);
        for (int p = 0; p < labels.length; p++) {
            int c = r.assignment()[p];
            if (centroidOf[labels[p]] < 0) {
                centroidOf[labels[p]] = c;
            }
            assertEquals(centroidOf[labels[p]], c, "point " + p + " of blob " + labels[p]);
        }
        assertEquals(blobs, java.util.Arrays.stream(centroidOf).distinct().count());
        // Inertia is the within-blob spread: about n * d * 0.25.
        assertTrue(r.inertia() < 1.3 * blobs * per * d * 0.25, "inertia " + r.inertia());
    }

    @Test
    void isDeterministicForASeed() {
        int[] labels = new int[3000];
        float[] x = blobs(30, 100, 16, 3.0, 3, labels);
        KMeansSettings s = KMeansSettings.defaults().withSamplePerCentroid(40);
        KMeans.Result a = KMeans.fit(x, 3000, 16, 50, s, 5, Progress.NONE);
        KMeans.Result b = KMeans.fit(x, 3000, 16, 50, s, 5, Progress.NONE);
        assertArrayEquals(a.centroids(), b.centroids());
        assertArrayEquals(a.assignment(), b.assignment());
        KMeans.Result c = KMeans.fit(x, 3000, 16, 50, s, 6, Progress.NONE);
        assertTrue(!java.util.Arrays.equals(a.centroids(), c.centroids()), "another seed gives another fit");
    }

    @Test
    void sampledFitIsCloseToTheFullFit() {
        int[] labels = new int[8000];
        float[] x = blobs(40, 200, 12, 2.0, 9, labels);
        KMeans.Result full = KMeans.fit(x, 8000, 12, 40, KMeansSettings.defaults().withSamplePerCentroid(0), 1, Progress.NONE);
        KMeans.Result sampled = KMeans.fit(x, 8000, 12, 40, KMeansSettings.defaults().withSamplePerCentroid(30), 1, Progress.NONE);
        assertEquals(8000, sampled.assignment().length);
        assertTrue(sampled.inertia() < 1.1 * full.inertia(), sampled.inertia() + " vs " + full.inertia());
    }

    @Test
    void noClusterIsLeftEmpty() {
        // Three tight groups of very different sizes and many clusters: Lloyd alone empties some.
        SplittableRandom r = new SplittableRandom(2);
        int n = 600, d = 4, k = 40;
        float[] x = new float[n * d];
        for (int p = 0; p < n; p++) {
            int g = p < 500 ? 0 : p < 590 ? 1 : 2;
            for (int j = 0; j < d; j++) {
                x[p * d + j] = g * 100 + (float) r.nextGaussian();
            }
        }
        KMeans.Result res = KMeans.fit(x, n, d, k, KMeansSettings.defaults(), 3, Progress.NONE);
        for (int c : counts(res.assignment(), k)) {
            assertTrue(c > 0, "empty cluster");
        }
    }

    @Test
    void repairMovesTheFarthestPointOfAClusterWithRoom() {
        float[] x = {0, 1, 10, 11, 30};
        int[] assign = {0, 0, 1, 1, 1};
        float[] dist = {0.25f, 0.25f, 25f, 16f, 100f};
        int[] counts = {2, 3, 0};
        float[] centroids = {0.5f, 20f, 99f};
        assertEquals(1, KMeans.repairEmpty(x, 5, 1, 3, assign, dist, counts, centroids));
        assertArrayEquals(new int[] {0, 0, 1, 1, 2}, assign);
        assertEquals(30f, centroids[2]);
        assertArrayEquals(new int[] {2, 2, 1}, counts);
    }

    @Test
    void balancedAssignmentRespectsTheCapacity() {
        // One huge blob and a few small ones: unconstrained k-means puts most centroids' points unevenly.
        SplittableRandom r = new SplittableRandom(4);
        int n = 2000, d = 8, k = 20;
        float[] x = new float[n * d];
        for (int p = 0; p < n; p++) {
            double centre = p < 1500 ? 0 : (p % 5) * 30;
            for (int j = 0; j < d; j++) {
                x[p * d + j] = (float) (centre + r.nextGaussian() * (p < 1500 ? 3 : 1));
            }
        }
        KMeansSettings tight = KMeansSettings.defaults().withCapacityFactor(1.0);
        KMeans.Result res = KMeans.fit(x, n, d, k, tight, 8, Progress.NONE);
        for (int c : counts(res.assignment(), k)) {
            assertEquals(n / k, c, "exactly balanced when k divides n");
        }
        KMeans.Result loose = KMeans.fit(x, n, d, k, KMeansSettings.defaults().withCapacityFactor(1.5), 8, Progress.NONE);
        for (int c : counts(loose.assignment(), k)) {
            assertTrue(c > 0 && c <= 150, "count " + c);
        }
    }

    @Test
    void rejectsMoreClustersThanPoints() {
        assertThrows(IllegalArgumentException.class,
                () -> KMeans.fit(new float[6], 3, 2, 4, KMeansSettings.defaults(), 1, Progress.NONE));
    }

    @Test
    void residualLevelsLowerTheErrorAndCodesMatchGreedyEncoding() {
        int[] labels = new int[4000];
        float[] x = blobs(20, 200, 16, 2.0, 5, labels);
        RqKmeans.Result r = RqKmeans.fit(x, 4000, 16, new int[] {16, 16, 16}, KMeansSettings.defaults(), 3, Progress.NONE);
        assertArrayEquals(r.codes(), r.codebooks().encodeAll(x, 4000), "unconstrained codes are greedy nearest codes");
        double previous = Double.POSITIVE_INFINITY;
        for (int level = 1; level <= 3; level++) {
            float[] rec = r.codebooks().decodeAll(r.codes(), 4000, level);
            double err = 0;
            for (int i = 0; i < x.length; i++) {
                err += (x[i] - rec[i]) * (x[i] - rec[i]);
            }
            assertTrue(err < previous, "level " + level + " error " + err + " after " + previous);
            previous = err;
        }
    }
}
