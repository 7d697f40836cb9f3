package dev.onerec4j.engine.eval;

import dev.onerec4j.engine.data.split.Examples;
import dev.onerec4j.kernels.Parallel;
import dev.onerec4j.tensors.GradMode;
import dev.onerec4j.tensors.MemoryScope;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.util.Arrays;
import java.util.function.IntConsumer;

/**
 * Leave-one-out evaluation over the whole catalogue: the ranker ranks every example's target among all items
 * (history items excluded by default) and Recall@K/NDCG@K are averaged over the examples. Batches of users run in
 * parallel on the worker pool, each in its own memory scope with gradients off.
 */
public final class Evaluator {

    private final Ranker ranker;
    private final int k;
    private final int batchSize;

    public Evaluator(Ranker ranker, int k, int batchSize) {
        this.ranker = ranker;
        this.k = k;
        this.batchSize = batchSize;
    }

    /** Cutoffs reported for a list length {@code k}: 5 and 10 where they fit, and {@code k} itself. */
    public static int[] cutoffs(int k) {
        return java.util.stream.IntStream.of(5, 10, k).filter(c -> c <= k).distinct().sorted().toArray();
    }

    /**
     * Metrics over examples {@code subset} of {@code examples} (indices; null = all).
     *
     * @param progressLabel label of a progress bar on stderr, or null for none
     */
    public RankingMetrics evaluate(Examples examples, int[] subset, boolean excludeHistory, String progressLabel) {
        int[] idx = subset != null ? subset : allIndices(examples.size());
        int batches = (idx.length + batchSize - 1) / batchSize;
        RankingMetrics total = new RankingMetrics(cutoffs(k));
        ProgressBar bar = progressLabel == null ? null : new ProgressBarBuilder().setTaskName(progressLabel)
                .setInitialMax(idx.length).setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(1000)
                .setUnit(" users", 1).continuousUpdate().setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err))
                .build();
        try {
            forEachBatch(batches, b -> {
                int from = b * batchSize;
                int to = Math.min(idx.length, from + batchSize);
                int n = to - from;
                int[] users = new int[n];
                int[] positions = new int[n];
                int[] targets = new int[n];
                for (int i = 0; i < n; i++) {
                    int e = idx[from + i];
                    users[i] = examples.user(e);
                    positions[i] = examples.position(e);
                    targets[i] = examples.targetItem(e);
                }
                RankingMetrics part = new RankingMetrics(cutoffs(k));
                int[][] lists;
                try (var g = GradMode.disabled(); MemoryScope s = MemoryScope.open("eval-batch")) {
                    lists = ranker.rank(users, positions, k, excludeHistory);
                }
                for (int i = 0; i < n; i++) {
                    part.add(lists[i], targets[i]);
                }
                total.merge(part);
                if (bar != null) {
                    synchronized (bar) {
                        bar.stepBy(n);
                    }
                }
            });
        } finally {
            if (bar != null) {
                bar.close();
            }
        }
        return total;
    }

    /**
     * Legality of unconstrained decoding: the share of the top-{@code k} generated IDs that name a real item, over
     * examples {@code subset}.
     */
    public static double legality(GenerativeRanker ranker, Examples examples, int[] subset, int k, int batchSize) {
        int[] idx = subset != null ? subset : allIndices(examples.size());
        long[] counts = new long[2];
        int batches = (idx.length + batchSize - 1) / batchSize;
        forEachBatch(batches, b -> {
            int from = b * batchSize;
            int to = Math.min(idx.length, from + batchSize);
            int[] users = new int[to - from];
            int[] positions = new int[to - from];
            for (int i = from; i < to; i++) {
                users[i - from] = examples.user(idx[i]);
                positions[i - from] = examples.position(idx[i]);
            }
            int[][] lists;
            try (var g = GradMode.disabled(); MemoryScope s = MemoryScope.open("legality-batch")) {
                lists = ranker.unconstrained(users, positions, k);
            }
            long legal = 0;
            long all = 0;
            for (int[] list : lists) {
                for (int item : list) {
                    all++;
                    legal += item >= 0 ? 1 : 0;
                }
            }
            synchronized (counts) {
                counts[0] += legal;
                counts[1] += all;
            }
        });
        return counts[1] == 0 ? 0 : (double) counts[0] / counts[1];
    }

    private static void forEachBatch(int batches, IntConsumer body) {
        Parallel.forRange(batches, 1, (from, to) -> {
            for (int b = from; b < to; b++) {
                body.accept(b);
            }
        });
    }

    static int[] allIndices(int n) {
        int[] all = new int[n];
        Arrays.setAll(all, i -> i);
        return all;
    }

    /** A deterministic sample of {@code count} example indices out of {@code n} (all when count >= n or 0). */
    public static int[] sample(int n, int count, long seed) {
        if (count <= 0 || count >= n) {
            return allIndices(n);
        }
        int[] all = allIndices(n);
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        for (int i = 0; i < count; i++) {
            int j = i + r.nextInt(n - i);
            int t = all[i];
            all[i] = all[j];
            all[j] = t;
        }
        int[] out = Arrays.copyOf(all, count);
        Arrays.sort(out);
        return out;
    }
}
