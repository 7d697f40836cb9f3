package dev.onerec4j.engine.sample;

import dev.onerec4j.engine.tokenizer.quant.DistanceKernels;
import org.eclipse.collections.impl.list.mutable.primitive.IntArrayList;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Hierarchical k-means over item vectors (the lifelong pathway's behaviour compression): a set larger than the
 * threshold is split into {@code ceil(sqrt(n))} clusters by k-means (k-means++ seeding, a few Lloyd iterations),
 * and every cluster still larger than the threshold is split again, until none is. Deterministic for its seed.
 * Distances are the vectorised {@link DistanceKernels#squaredDistance} over the item rows in place (float
 * accumulation): a served long history spends most of its context time here.
 */
final class HierarchicalKMeans {

    private static final int ITERATIONS = 8;

    private final ItemVectors vectors;
    private final int threshold;

    HierarchicalKMeans(ItemVectors vectors, int threshold) {
        this.vectors = vectors;
        this.threshold = threshold;
    }

    /** Clusters the given items (positions into {@code items} are returned, grouped by cluster). */
    List<int[]> cluster(int[] items, long seed) {
        List<int[]> out = new ArrayList<>();
        int[] all = new int[items.length];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        SplittableRandom rng = new SplittableRandom(seed);
        split(items, all, rng, out);
        return out;
    }

    private void split(int[] items, int[] members, SplittableRandom rng, List<int[]> out) {
        if (members.length <= threshold) {
            out.add(members);
            return;
        }
        int k = Math.min(members.length, Math.max(2, (int) Math.ceil(Math.sqrt(members.length))));
        int[] assignment = kMeans(items, members, k, rng);
        IntArrayList[] groups = new IntArrayList[k];
        for (int j = 0; j < k; j++) {
            groups[j] = new IntArrayList();
        }
        for (int m = 0; m < members.length; m++) {
            groups[assignment[m]].add(members[m]);
        }
        int nonEmpty = 0;
        for (IntArrayList g : groups) {
            nonEmpty += g.isEmpty() ? 0 : 1;
        }
        if (nonEmpty <= 1) {
            // Identical vectors cannot be separated: cut the set into consecutive chunks instead.
            for (int s = 0; s < members.length; s += threshold) {
                out.add(java.util.Arrays.copyOfRange(members, s, Math.min(members.length, s + threshold)));
            }
            return;
        }
        for (IntArrayList g : groups) {
            if (!g.isEmpty()) {
                split(items, g.toArray(), rng, out);
            }
        }
    }

    private int[] kMeans(int[] items, int[] members, int k, SplittableRandom rng) {
        int dim = vectors.dim();
        int n = members.length;
        float[] centres = new float[k * dim];
        // k-means++ seeding.
        double[] dist = new double[n];
        int first = rng.nextInt(n);
        copy(items[members[first]], centres, 0);
        java.util.Arrays.fill(dist, Double.MAX_VALUE);
        for (int c = 1; c < k; c++) {
            double total = 0;
            for (int m = 0; m < n; m++) {
                dist[m] = Math.min(dist[m], distance(items[members[m]], centres, c - 1));
                total += dist[m];
            }
            int pick = n - 1;
            if (total > 0) {
                double target = rng.nextDouble() * total;
                for (int m = 0; m < n; m++) {
                    target -= dist[m];
                    if (target < 0) {
                        pick = m;
                        break;
                    }
                }
            } else {
                pick = rng.nextInt(n);
            }
            copy(items[members[pick]], centres, c);
        }
        int[] assignment = new int[n];
        int[] counts = new int[k];
        for (int it = 0; it < ITERATIONS; it++) {
            boolean changed = it == 0;
            for (int m = 0; m < n; m++) {
                int best = nearest(items[members[m]], centres, k);
                if (best != assignment[m]) {
                    assignment[m] = best;
                    changed = true;
                }
            }
            if (!changed) {
                break;
            }
            java.util.Arrays.fill(centres, 0f);
            java.util.Arrays.fill(counts, 0);
            float[] values = vectors.values();
            for (int m = 0; m < n; m++) {
                int c = assignment[m];
                counts[c]++;
                int row = items[members[m]] * dim;
                for (int d = 0; d < dim; d++) {
                    centres[c * dim + d] += values[row + d];
                }
            }
            for (int c = 0; c < k; c++) {
                if (counts[c] > 0) {
                    for (int d = 0; d < dim; d++) {
                        centres[c * dim + d] /= counts[c];
                    }
                }
            }
        }
        return assignment;
    }

    int nearest(int item, float[] centres, int k) {
        int best = 0;
        double bestD = Double.MAX_VALUE;
        for (int c = 0; c < k; c++) {
            double d = distance(item, centres, c);
            if (d < bestD) {
                bestD = d;
                best = c;
            }
        }
        return best;
    }

    /** Squared distance of {@code item}'s vector to centre {@code c} of {@code centres} ({@code [k, dim]}). */
    double distance(int item, float[] centres, int c) {
        int dim = vectors.dim();
        return DistanceKernels.squaredDistance(vectors.values(), item * dim, centres, c * dim, dim);
    }

    private void copy(int item, float[] centres, int c) {
        int dim = vectors.dim();
        System.arraycopy(vectors.values(), item * dim, centres, c * dim, dim);
    }
}
