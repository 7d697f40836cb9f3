package dev.onerec4j.engine.sample;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hierarchical k-means on planted, well-separated groups of items (odd dimension, sizes above the threshold). */
class HierarchicalKMeansTest {

    @Test
    void clustersRespectTheThresholdCoverEveryPositionOnceAndNeverMixPlantedGroups() {
        int dim = 13;
        int groups = 7;
        int perGroup = 40;
        int items = groups * perGroup;
        SplittableRandom r = new SplittableRandom(5);
        float[] v = new float[items * dim];
        for (int g = 0; g < groups; g++) {
            float[] centre = new float[dim];
            for (int d = 0; d < dim; d++) {
                centre[d] = (float) (r.nextGaussian() * 100);
            }
            for (int i = 0; i < perGroup; i++) {
                for (int d = 0; d < dim; d++) {
                    v[(g * perGroup + i) * dim + d] = centre[d] + (float) r.nextGaussian();
                }
            }
        }
        // A shuffled history of every item, some twice.
        int n = items + 61;
        int[] history = new int[n];
        for (int p = 0; p < n; p++) {
            history[p] = p < items ? p : r.nextInt(items);
        }
        for (int p = n - 1; p > 0; p--) {
            int q = r.nextInt(p + 1);
            int t = history[p];
            history[p] = history[q];
            history[q] = t;
        }
        int threshold = 8;
        List<int[]> clusters = new HierarchicalKMeans(new ItemVectors(dim, v), threshold).cluster(history, 9);
        int[] seen = new int[n];
        for (int[] cluster : clusters) {
            assertTrue(cluster.length >= 1 && cluster.length <= threshold, "cluster of " + cluster.length);
            int group = history[cluster[0]] / perGroup;
            for (int p : cluster) {
                seen[p]++;
                assertEquals(group, history[p] / perGroup, "a cluster mixes planted groups");
            }
        }
        for (int p = 0; p < n; p++) {
            assertEquals(1, seen[p], "position " + p);
        }
        assertEquals(clusters.size(), new HierarchicalKMeans(new ItemVectors(dim, v), threshold).cluster(history, 9)
                .size(), "deterministic for its seed");
    }
}
