package dev.onerec4j.engine.reward;

import dev.onerec4j.tensors.GradMode;
import dev.onerec4j.tensors.MemoryScope;

/**
 * Scores (user, history position, item) rows with a trained {@link PScoreModel}: the P-Score (a probability in
 * (0, 1)) and every tower's probability. Gradients off, each call in its own memory scope; safe to call from
 * several threads once the model is trained (its parameters are only read).
 */
public final class PScorer {

    /** P-Scores {@code [n]} and tower probabilities {@code [n, K]} (row-major). */
    public record Scores(double[] pscore, double[] towers) {
    }

    private final PScoreModel model;
    private final RewardFeatures features;

    public PScorer(PScoreModel model, RewardFeatures features) {
        this.model = model;
        this.features = features;
    }

    public Scores scoreRows(int[] users, int[] positions, int[] items) {
        try (var g = GradMode.disabled(); MemoryScope s = MemoryScope.open("pscore")) {
            PScoreModel.Output out = model.forward(features.build(users, positions, items));
            double[] logits = out.pscoreLogit().toDoubleArray();
            double[] towers = out.towerLogits().toDoubleArray();
            for (int i = 0; i < logits.length; i++) {
                logits[i] = sigmoid(logits[i]);
            }
            for (int i = 0; i < towers.length; i++) {
                towers[i] = sigmoid(towers[i]);
            }
            return new Scores(logits, towers);
        }
    }

    /** The P-Score of each of {@code items} for one user at one history position. */
    public double[] score(int user, int position, int[] items) {
        int n = items.length;
        int[] u = new int[n];
        int[] p = new int[n];
        java.util.Arrays.fill(u, user);
        java.util.Arrays.fill(p, position);
        return scoreRows(u, p, items).pscore();
    }

    static double sigmoid(double x) {
        return 1.0 / (1.0 + Math.exp(-x));
    }
}
