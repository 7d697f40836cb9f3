package dev.onerec4j.engine.tokenizer.metrics;

import dev.onerec4j.engine.tokenizer.pairs.ItemPairs;
import dev.onerec4j.engine.tokenizer.quant.CentroidPanel;
import dev.onerec4j.engine.tokenizer.quant.DistanceKernels;
import dev.onerec4j.kernels.Parallel;

import java.util.concurrent.atomic.AtomicLong;

/**
 * How well item embeddings retrieve collaborative partners: for held-out pairs {@code (a, b)}, the share where
 * {@code b} is among the {@code k} items nearest to {@code a} (excluding {@code a}) over the whole catalogue.
 */
public final class PairRecall {

    private PairRecall() {
    }

    /** Recall@k over at most {@code maxPairs} of {@code pairs} (the first ones). */
    public static double recallAt(float[] embeddings, int n, int d, ItemPairs pairs, int k, int maxPairs) {
        int m = Math.min(maxPairs, pairs.size());
        if (m == 0) {
            return Double.NaN;
        }
        CentroidPanel panel = CentroidPanel.of(embeddings, n, d);
        int kp = panel.rowLength();
        AtomicLong hits = new AtomicLong();
        Parallel.forRange(m, 16, (from, to) -> {
            float[] row = new float[kp];
            long local = 0;
            for (int p = from; p < to; p++) {
                int a = pairs.first(p);
                int b = pairs.second(p);
                DistanceKernels.distanceRows(embeddings, a, a + 1, panel, row, 0);
                float target = row[b];
                int closer = 0;
                for (int i = 0; i < n && closer < k; i++) {
                    if (i != a && i != b && row[i] < target) {
                        closer++;
                    }
                }
                local += closer < k ? 1 : 0;
            }
            hits.addAndGet(local);
        });
        return (double) hits.get() / m;
    }
}
