package dev.onerec4j.engine.align;

import dev.onerec4j.engine.data.Histories;
import dev.onerec4j.engine.data.Signal;
import dev.onerec4j.engine.data.split.Examples;

import org.eclipse.collections.impl.list.mutable.primitive.IntArrayList;

import java.util.Arrays;

/**
 * Reject-sampling fine-tuning's data filter (report section 3.3): a user's history is cut into sessions wherever
 * two consecutive interactions are more than {@code sessionGapSeconds} apart, a session's score is its total play
 * time, and the training examples whose target falls in the bottom {@code dropShare} of sessions (by score, over
 * all sessions) are dropped. Ties at the threshold are kept.
 */
public final class RsftFilter {

    private RsftFilter() {
    }

    /** The indices of {@code examples} to keep. */
    public static int[] keep(Examples examples, long sessionGapSeconds, double dropShare) {
        Histories h = examples.histories();
        if (!h.has(Signal.PLAY_TIME)) {
            throw new dev.onerec4j.engine.UserException("RSFT ranks sessions by play time, which this data set does "
                    + "not record (signals " + h.signals() + ")");
        }
        if (!(dropShare >= 0 && dropShare < 1)) {
            throw new IllegalArgumentException("RSFT: the dropped share must be in [0, 1), got " + dropShare);
        }
        int rows = h.numInteractions();
        int[] sessionOf = new int[rows];
        IntArrayList sessionStarts = new IntArrayList();
        double[] scores = sessionScores(h, sessionGapSeconds, sessionOf, sessionStarts);
        double threshold = threshold(scores, dropShare);
        IntArrayList kept = new IntArrayList();
        for (int i = 0; i < examples.size(); i++) {
            if (scores[sessionOf[examples.targetRow(i)]] >= threshold) {
                kept.add(i);
            }
        }
        return kept.toArray();
    }

    /** Session of every row ({@code sessionOf}) and every session's total play time. */
    static double[] sessionScores(Histories h, long gap, int[] sessionOf, IntArrayList starts) {
        org.eclipse.collections.impl.list.mutable.primitive.DoubleArrayList scores =
                new org.eclipse.collections.impl.list.mutable.primitive.DoubleArrayList();
        for (int u = 0; u < h.numUsers(); u++) {
            for (int r = h.start(u); r < h.end(u); r++) {
                if (r == h.start(u) || h.timestamp(r) - h.timestamp(r - 1) > gap) {
                    starts.add(r);
                    scores.add(0);
                }
                int s = scores.size() - 1;
                sessionOf[r] = s;
                float play = h.signal(Signal.PLAY_TIME, r);
                if (!Float.isNaN(play)) {
                    scores.set(s, scores.get(s) + play);
                }
            }
        }
        return scores.toArray();
    }

    /** The score at the {@code dropShare} quantile: sessions scoring below it are dropped. */
    static double threshold(double[] scores, double dropShare) {
        if (scores.length == 0 || dropShare == 0) {
            return Double.NEGATIVE_INFINITY;
        }
        double[] sorted = scores.clone();
        Arrays.sort(sorted);
        return sorted[(int) Math.floor(dropShare * sorted.length)];
    }
}
