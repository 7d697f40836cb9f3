package dev.onerec4j.engine.baseline;

import dev.onerec4j.engine.data.Histories;
import dev.onerec4j.engine.eval.HistoryExclusion;
import dev.onerec4j.engine.eval.Ranker;
import dev.onerec4j.engine.model.DropoutStream;
import dev.onerec4j.tensors.Tensor;

import java.util.Arrays;

/** Ranks the whole catalogue with SASRec: the last position's scores, history items optionally removed. */
public final class SasRecRanker implements Ranker {

    private final SasRecModel model;
    private final Histories histories;

    public SasRecRanker(SasRecModel model, Histories histories) {
        this.model = model;
        this.histories = histories;
    }

    @Override
    public int[][] rank(int[] users, int[] positions, int k, boolean excludeHistory) {
        int len = model.config().maxLength;
        int b = users.length;
        int[] seq = new int[b * len];
        Arrays.fill(seq, -1);
        for (int i = 0; i < b; i++) {
            int start = histories.start(users[i]);
            int count = Math.min(positions[i], len);
            for (int j = 0; j < count; j++) {
                seq[i * len + len - count + j] = histories.item(start + positions[i] - count + j);
            }
        }
        Tensor hidden = model.hidden(seq, b, DropoutStream.off()).select(1, len - 1);
        float[] scores = model.scores(hidden).toFloatArray();
        int n = model.items();
        int[][] excluded = excludeHistory ? HistoryExclusion.of(histories, users, positions) : null;
        int[][] out = new int[b][];
        for (int i = 0; i < b; i++) {
            if (excluded != null) {
                for (int item : excluded[i]) {
                    scores[i * n + item] = Float.NEGATIVE_INFINITY;
                }
            }
            out[i] = topK(scores, i * n, n, k);
        }
        return out;
    }

    /** Indices (relative to {@code offset}) of the {@code k} largest finite scores, best first; ties: lower index. */
    static int[] topK(float[] scores, int offset, int n, int k) {
        int[] top = new int[Math.min(k, n)];
        float[] val = new float[top.length];
        int size = 0;
        for (int j = 0; j < n; j++) {
            float s = scores[offset + j];
            if (s == Float.NEGATIVE_INFINITY || (size == top.length && !(s > val[size - 1]))) {
                continue;
            }
            int pos = size < top.length ? size++ : size - 1;
            while (pos > 0 && val[pos - 1] < s) {
                val[pos] = val[pos - 1];
                top[pos] = top[pos - 1];
                pos--;
            }
            val[pos] = s;
            top[pos] = j;
        }
        return Arrays.copyOf(top, size);
    }

    @Override
    public String describe() {
        return "SASRec (" + model.config().layers + " layers, d=" + model.config().dim + "), full-catalogue scores";
    }
}
