package dev.onerec4j.engine.sample;

import dev.onerec4j.engine.tokenizer.quant.CentroidPanel;
import dev.onerec4j.engine.tokenizer.quant.DistanceKernels;
import org.eclipse.collections.impl.list.mutable.primitive.IntArrayList;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Hierarchical k-means over item vectors (the lifelong pathway's behaviour compression): a set larger than the
 * threshold is split into {@code ceil(sqrt(n))} clusters by k-means (k-means++ seeding, a few Lloyd iterations),
 * and every cluster still larger than the threshold is split again, until none is. Deterministic for its seed.
 * The members' vectors are gathered into one block per split; seeding uses the vectorised
 * {@link DistanceKernels#squaredDistance} and each Lloyd pass the tiled {@link DistanceKernels#distanceRows} (float
 * accumulation): a served long history spends much of its context time here.
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
        // The members' vectors as one block, so each Lloyd pass is one tiled distance product.
        float[] x = new float[n * dim];
        float[] values = vectors.values();
        for (int m = 0; m < n; m++) {
            System.arraycopy(values, items[members[m]] * dim, x, m * dim, dim);
        }
        float[] centres = new float[k * dim];
        // k-means++ seeding.
        double[] dist = new double[n];
        int first = rng.nextInt(n);
        System.arraycopy(x, first * dim, centres, 0, dim);
        java.util.Arrays.fill(dist, Double.MAX_VALUE);
        for (int c = 1; c < k; c++) {
            double total = 0;
            for (int m = 0; m < n; m++) {
                dist[m] = Math.min(dist[m], DistanceKernels.squaredDistance(x, m * dim, centres, (c - 1) * dim, dim));
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
            System.arraycopy(x, pick * dim, centres, c * dim, dim);
        }
        int[] assignment = new int[n];
        int[] nearest = new int[n];
        float[] rows = null;
        int[] counts = new int[k];
        for (int it = 0; it < ITERATIONS; it++) {
            CentroidPanel panel = CentroidPanel.of(centres, k, dim);
            if (rows == null) {
                rows = new float[DistanceKernels.TILE * panel.rowLength()];
            }
            assignNearest(x, n, panel, k, rows, nearest);
            boolean changed = it == 0 || !java.util.Arrays.equals(nearest, assignment);
            System.arraycopy(nearest, 0, assignment, 0, n);
            if (!changed) {
                break;
            }
            java.util.Arrays.fill(centres, 0f);
            java.util.Arrays.fill(counts, 0);
            for (int m = 0; m < n; m++) {
                int c = assignment[m];
                counts[c]++;
                for (int d = 0; d < dim; d++) {
                    centres[c * dim + d] += x[m * dim + d];
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

    /**
     * The nearest of the {@code k} centres of {@code panel} for each of the {@code n} points of {@code x} (lowest
     * index at ties), a tile of points at a time. Serial on purpose: clustering runs inside data preparation, and a
     * pool range taken there would make concurrent training ranges run unsplit (and round differently).
     */
    private static void assignNearest(float[] x, int n, CentroidPanel panel, int k, float[] rows, int[] nearest) {
        int kp = panel.rowLength();
        for (int r = 0; r < n; r += DistanceKernels.TILE) {
            int end = Math.min(n, r + DistanceKernels.TILE);
            DistanceKernels.distanceRows(x, r, end, panel, rows, 0);
            for (int i = r; i < end; i++) {
                nearest[i] = DistanceKernels.argmin(rows, (i - r) * kp, k);
            }
        }
    }

    /** Squared distance of {@code item}'s vector to centre {@code c} of {@code centres} ({@code [k, dim]}). */
    double distance(int item, float[] centres, int c) {
        int dim = vectors.dim();
        return DistanceKernels.squaredDistance(vectors.values(), item * dim, centres, c * dim, dim);
    }
}
