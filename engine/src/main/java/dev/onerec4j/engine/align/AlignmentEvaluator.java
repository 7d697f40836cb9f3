package dev.onerec4j.engine.align;

import dev.onerec4j.engine.data.ItemCatalog;
import dev.onerec4j.engine.data.split.Examples;
import dev.onerec4j.engine.data.synthetic.SyntheticWorld;
import dev.onerec4j.engine.eval.Evaluator;
import dev.onerec4j.engine.eval.Ranker;
import dev.onerec4j.engine.eval.RankingMetrics;
import dev.onerec4j.engine.reward.PScorer;
import dev.onerec4j.kernels.Parallel;
import dev.onerec4j.tensors.GradMode;
import dev.onerec4j.tensors.MemoryScope;

import java.util.Arrays;

/**
 * Ranks each example's user once (top-k, history items excluded unless kept) and measures the lists: Recall/NDCG
 * against the held-out targets, mean P-Score, and on simulator data the true value@k and pass@k, plus the share
 * of a watched class. Any of the reward model, the world and the class may be absent.
 */
public final class AlignmentEvaluator {

    private final Ranker ranker;
    private final int k;
    private final int batchSize;
    private final PScorer scorer;
    private final SyntheticWorld world;
    private final ItemCatalog items;
    private final int watchedClass;

    /**
     * @param scorer       reward model for the mean P-Score (null = not measured)
     * @param world        simulator ground truth (null = not simulator data)
     * @param watchedClass class label whose share is measured (-1 = none)
     */
    public AlignmentEvaluator(Ranker ranker, int k, int batchSize, PScorer scorer, SyntheticWorld world,
                              ItemCatalog items, int watchedClass) {
        this.ranker = ranker;
        this.k = k;
        this.batchSize = batchSize;
        this.scorer = scorer;
        this.world = world;
        this.items = items;
        this.watchedClass = watchedClass;
    }

    public AlignmentReport evaluate(Examples examples, int[] subset, boolean excludeHistory) {
        int[] idx = subset != null ? subset : all(examples.size());
        int batches = (idx.length + batchSize - 1) / batchSize;
        RankingMetrics metrics = new RankingMetrics(Evaluator.cutoffs(k));
        double[] sums = new double[6]; // pscore, value, pass, class items, listed items, expected recall
        Parallel.forRange(batches, 1, (bFrom, bTo) -> {
            for (int b = bFrom; b < bTo; b++) {
                int from = b * batchSize;
                int to = Math.min(idx.length, from + batchSize);
                int n = to - from;
                int[] users = new int[n];
                int[] positions = new int[n];
                for (int i = 0; i < n; i++) {
                    users[i] = examples.user(idx[from + i]);
                    positions[i] = examples.position(idx[from + i]);
                }
                int[][] lists;
                try (var g = GradMode.disabled(); MemoryScope s = MemoryScope.open("align-eval")) {
                    lists = ranker.rank(users, positions, k, excludeHistory);
                }
                RankingMetrics part = new RankingMetrics(Evaluator.cutoffs(k));
                double[] local = new double[6];
                for (int i = 0; i < n; i++) {
                    int[] list = lists[i];
                    part.add(list, examples.targetItem(idx[from + i]));
                    if (list.length == 0) {
                        continue;
                    }
                    if (scorer != null) {
                        local[0] += mean(scorer.score(users[i], positions[i], list));
                    }
                    if (world != null) {
                        double best = Double.NEGATIVE_INFINITY;
                        double sum = 0;
                        for (int item : list) {
                            double v = world.trueValue(users[i], item);
                            sum += v;
                            best = Math.max(best, v);
                        }
                        local[1] += sum / list.length;
                        local[2] += best;
                        double[] p = world.trueNextItemDistribution(examples, idx[from + i]);
                        for (int item : list) {
                            local[5] += p[item];
                        }
                    }
                    for (int item : list) {
                        local[3] += watchedClass >= 0 && items.classLabel(item) == watchedClass ? 1 : 0;
                    }
                    local[4] += list.length;
                }
                metrics.merge(part);
                synchronized (sums) {
                    for (int j = 0; j < sums.length; j++) {
                        sums[j] += local[j];
                    }
                }
            }
        });
        double users = Math.max(1, idx.length);
        java.util.Map<String, Double> ranking = metrics.asMap();
        if (world != null) {
            ranking.put("expected_recall@" + k, sums[5] / users);
        }
        return new AlignmentReport(idx.length, k, ranking, scorer == null ? null : sums[0] / users,
                world == null ? null : sums[1] / users, world == null ? null : sums[2] / users,
                watchedClass < 0 ? null : sums[3] / Math.max(1, sums[4]),
                watchedClass < 0 ? null : items.className(watchedClass));
    }

    private static double mean(double[] v) {
        return Arrays.stream(v).average().orElse(0);
    }

    private static int[] all(int n) {
        int[] out = new int[n];
        Arrays.setAll(out, i -> i);
        return out;
    }
}
