package dev.onerec4j.engine.eval;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Recall@K and NDCG@K of ranked lists against one held-out target per user (leave-one-out): Recall@K is 1 when
 * the target is among the first K items, NDCG@K is {@code 1 / log2(rank + 2)} for a target at 0-based rank
 * {@code rank < K}; both are averaged over all evaluated users (a user whose list misses scores 0).
 */
public final class RankingMetrics {

    private final int[] cutoffs;
    private final double[] recall;
    private final double[] ndcg;
    private long users;

    public RankingMetrics(int... cutoffs) {
        this.cutoffs = cutoffs.clone();
        this.recall = new double[cutoffs.length];
        this.ndcg = new double[cutoffs.length];
    }

    /** Adds one user's ranked list (best first) and held-out target. */
    public void add(int[] ranked, int target) {
        users++;
        int rank = -1;
        for (int i = 0; i < ranked.length; i++) {
            if (ranked[i] == target) {
                rank = i;
                break;
            }
        }
        if (rank < 0) {
            return;
        }
        for (int c = 0; c < cutoffs.length; c++) {
            if (rank < cutoffs[c]) {
                recall[c] += 1;
                ndcg[c] += 1.0 / (Math.log(rank + 2) / Math.log(2));
            }
        }
    }

    /** Adds another accumulator's counts (same cutoffs). */
    public synchronized void merge(RankingMetrics other) {
        for (int c = 0; c < cutoffs.length; c++) {
            recall[c] += other.recall[c];
            ndcg[c] += other.ndcg[c];
        }
        users += other.users;
    }

    public long users() {
        return users;
    }

    public int[] cutoffs() {
        return cutoffs.clone();
    }

    public double recall(int cutoff) {
        return mean(recall, cutoff);
    }

    public double ndcg(int cutoff) {
        return mean(ndcg, cutoff);
    }

    private double mean(double[] sums, int cutoff) {
        for (int c = 0; c < cutoffs.length; c++) {
            if (cutoffs[c] == cutoff) {
                return users == 0 ? 0 : sums[c] / users;
            }
        }
        throw new IllegalArgumentException("no metric at cutoff " + cutoff);
    }

    /** {@code Recall@5, NDCG@5, Recall@10, ...} in cutoff order. */
    public Map<String, Double> asMap() {
        Map<String, Double> out = new LinkedHashMap<>();
        for (int c : cutoffs) {
            out.put("recall@" + c, recall(c));
            out.put("ndcg@" + c, ndcg(c));
        }
        return out;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (int c : cutoffs) {
            sb.append(String.format(Locale.ROOT, "R@%d %.4f N@%d %.4f  ", c, recall(c), c, ndcg(c)));
        }
        return sb.toString().trim() + " (" + users + " users)";
    }
}
