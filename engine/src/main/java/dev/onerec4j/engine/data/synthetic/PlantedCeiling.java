package dev.onerec4j.engine.data.synthetic;

import java.util.Locale;

import dev.onerec4j.engine.data.Histories;
import dev.onerec4j.engine.data.split.Examples;

/**
 * The exact planted ceiling of Recall@K and NDCG@K on a set of examples of a {@link SyntheticWorld}: for each
 * example, the expected Recall@K of the best possible list (the K most likely next items under the true
 * distribution, which never contains history items) is the sum of their probabilities, and its expected NDCG@K
 * is the sum of p / log2(rank + 1). No recommender can beat these in expectation. For comparison, the same
 * expectations for the popularity list (items by training count, history items removed).
 *
 * @param k                 list length
 * @param examples          number of examples averaged over
 * @param recall            mean expected Recall@K of the true top-K
 * @param ndcg              mean expected NDCG@K of the true top-K
 * @param popularityRecall  mean expected Recall@K of the popularity list
 * @param popularityNdcg    mean expected NDCG@K of the popularity list
 */
public record PlantedCeiling(int k, int examples, double recall, double ndcg, double popularityRecall,
                             double popularityNdcg) {

    /**
     * Computes the ceilings over {@code examples} (e.g. the test examples of a leave-one-out split of
     * {@code world.dataset()}); {@code popularityCounts} ranks items for the popularity baseline (e.g. the
     * split's training counts).
     */
    public static PlantedCeiling compute(SyntheticWorld world, Examples examples, int[] popularityCounts, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, got " + k);
        }
        int[] popularOrder = orderByCountDescending(popularityCounts);
        boolean[] inHistory = new boolean[popularityCounts.length];
        Histories h = examples.histories();
        double recall = 0;
        double ndcg = 0;
        double popRecall = 0;
        double popNdcg = 0;
        for (int e = 0; e < examples.size(); e++) {
            double[] p = world.trueNextItemDistribution(examples, e);
            int[] best = topK(p, k);
            recall += expectedRecall(p, best);
            ndcg += expectedNdcg(p, best);
            int start = examples.historyStart(e);
            int end = examples.targetRow(e);
            for (int r = start; r < end; r++) {
                inHistory[h.item(r)] = true;
            }
            int[] popular = new int[Math.min(k, popularOrder.length)];
            int filled = 0;
            for (int j = 0; j < popularOrder.length && filled < popular.length; j++) {
                if (!inHistory[popularOrder[j]]) {
                    popular[filled++] = popularOrder[j];
                }
            }
            for (int r = start; r < end; r++) {
                inHistory[h.item(r)] = false;
            }
            int[] list = java.util.Arrays.copyOf(popular, filled);
            popRecall += expectedRecall(p, list);
            popNdcg += expectedNdcg(p, list);
        }
        int n = Math.max(1, examples.size());
        return new PlantedCeiling(k, examples.size(), recall / n, ndcg / n, popRecall / n, popNdcg / n);
    }

    /** Expected Recall@|list| of {@code list} when the single target is drawn from {@code p}. */
    public static double expectedRecall(double[] p, int[] list) {
        double sum = 0;
        for (int item : list) {
            sum += p[item];
        }
        return sum;
    }

    /** Expected NDCG@|list| of {@code list} (best first) when the single target is drawn from {@code p}. */
    public static double expectedNdcg(double[] p, int[] list) {
        double sum = 0;
        for (int r = 0; r < list.length; r++) {
            sum += p[list[r]] / (Math.log(r + 2) / Math.log(2));
        }
        return sum;
    }

    /** Indices of the {@code k} largest scores, largest first (ties: lower index first). */
    public static int[] topK(double[] scores, int k) {
        int m = Math.min(k, scores.length);
        int[] top = new int[m];
        int filled = 0;
        for (int i = 0; i < scores.length; i++) {
            if (filled < m) {
                top[filled++] = i;
                siftUp(top, filled - 1, scores);
            } else if (scores[i] > scores[top[m - 1]]) {
                top[m - 1] = i;
                siftUp(top, m - 1, scores);
            }
        }
        return top;
    }

    /** Insertion step keeping {@code top[0..pos]} sorted by score descending, stable for ties. */
    private static void siftUp(int[] top, int pos, double[] scores) {
        int v = top[pos];
        int j = pos - 1;
        while (j >= 0 && scores[top[j]] < scores[v]) {
            top[j + 1] = top[j];
            j--;
        }
        top[j + 1] = v;
    }

    /** Item indices by count, largest first; ties in index order. */
    private static int[] orderByCountDescending(int[] counts) {
        long[] keys = new long[counts.length];
        for (int i = 0; i < counts.length; i++) {
            keys[i] = ((long) (Integer.MAX_VALUE - counts[i]) << 32) | i;
        }
        java.util.Arrays.sort(keys);
        int[] order = new int[counts.length];
        for (int i = 0; i < counts.length; i++) {
            order[i] = (int) keys[i];
        }
        return order;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "planted ceiling over %d examples: Recall@%d %.4f NDCG@%d %.4f "
                + "(popularity: Recall@%d %.4f NDCG@%d %.4f)", examples, k, recall, k, ndcg, k, popularityRecall,
                k, popularityNdcg);
    }
}
