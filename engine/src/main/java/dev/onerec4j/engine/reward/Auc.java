package dev.onerec4j.engine.reward;

import java.util.Arrays;

/**
 * Area under the ROC curve: the probability that a random positive scores above a random negative (ties count
 * half), computed from the rank sum of the positives (Mann-Whitney) with tied scores given their mean rank.
 */
public final class Auc {

    private Auc() {
    }

    /**
     * The AUC of {@code scores} against binary {@code labels} (1 positive, 0 negative, NaN skipped); NaN when only
     * one class is present.
     */
    public static double of(double[] scores, float[] labels) {
        if (scores.length != labels.length) {
            throw new IllegalArgumentException("AUC: " + scores.length + " scores for " + labels.length + " labels");
        }
        int n = 0;
        for (float l : labels) {
            n += Float.isNaN(l) ? 0 : 1;
        }
        double[] s = new double[n];
        boolean[] pos = new boolean[n];
        int w = 0;
        for (int i = 0; i < scores.length; i++) {
            if (!Float.isNaN(labels[i])) {
                if (Double.isNaN(scores[i])) {
                    throw new IllegalArgumentException("AUC: score " + i + " is NaN");
                }
                s[w] = scores[i];
                pos[w] = labels[i] > 0.5f;
                w++;
            }
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(s[a], s[b]));
        long positives = 0;
        double rankSum = 0;
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && s[order[j + 1]] == s[order[i]]) {
                j++;
            }
            double meanRank = (i + j) / 2.0 + 1;
            for (int t = i; t <= j; t++) {
                if (pos[order[t]]) {
                    positives++;
                    rankSum += meanRank;
                }
            }
            i = j + 1;
        }
        long negatives = n - positives;
        if (positives == 0 || negatives == 0) {
            return Double.NaN;
        }
        return (rankSum - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
    }
}
