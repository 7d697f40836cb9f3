package dev.onerec4j.engine.reward;

import dev.onerec4j.engine.data.Dataset;
import dev.onerec4j.engine.data.Histories;
import dev.onerec4j.engine.data.split.LeaveOneOutSplit;

import org.eclipse.collections.impl.list.mutable.primitive.IntArrayList;

import java.util.List;

/**
 * Logged interactions as reward-model rows: (user, position, item) with every objective's label, the P-Score's
 * fused target (mean of the recorded positive objectives' labels) and, for AUC, whether any positive objective
 * fired. {@link #split} keeps the leave-one-out rule: the training rows are each user's interactions before the
 * validation and test targets, the held-out rows are those two targets.
 */
public final class RewardRows {

    private final int[] users;
    private final int[] positions;
    private final int[] items;
    private final int objectives;
    private final float[] labels;
    private final float[] labelWeight;
    private final float[] fused;
    private final float[] fusedWeight;

    private RewardRows(Dataset dataset, List<Objective> objectives, int[] users, int[] positions) {
        Histories h = dataset.histories();
        int n = users.length;
        int k = objectives.size();
        this.users = users;
        this.positions = positions;
        this.items = new int[n];
        this.objectives = k;
        this.labels = new float[n * k];
        this.labelWeight = new float[n * k];
        this.fused = new float[n];
        this.fusedWeight = new float[n];
        for (int i = 0; i < n; i++) {
            int row = h.row(users[i], positions[i]);
            items[i] = h.item(row);
            double sum = 0;
            int counted = 0;
            for (int j = 0; j < k; j++) {
                Objective o = objectives.get(j);
                float label = o.label(h, dataset.items(), row);
                if (Float.isNaN(label)) {
                    continue;
                }
                labels[i * k + j] = label;
                labelWeight[i * k + j] = 1;
                if (!o.negative()) {
                    sum += label;
                    counted++;
                }
            }
            if (counted > 0) {
                fused[i] = (float) (sum / counted);
                fusedWeight[i] = 1;
            }
        }
    }

    /** Training rows (before each user's validation and test targets) and held-out rows (those targets). */
    public record Split(RewardRows train, RewardRows heldOut) {
    }

    public static Split split(Dataset dataset, List<Objective> objectives) {
        Histories h = dataset.histories();
        LeaveOneOutSplit loo = LeaveOneOutSplit.of(h, 0);
        IntArrayList tu = new IntArrayList();
        IntArrayList tp = new IntArrayList();
        IntArrayList hu = new IntArrayList();
        IntArrayList hp = new IntArrayList();
        for (int u = 0; u < h.numUsers(); u++) {
            int end = loo.trainEnd(u);
            for (int p = 0; p < h.length(u); p++) {
                (p < end ? tu : hu).add(u);
                (p < end ? tp : hp).add(p);
            }
        }
        return new Split(new RewardRows(dataset, objectives, tu.toArray(), tp.toArray()),
                new RewardRows(dataset, objectives, hu.toArray(), hp.toArray()));
    }

    public int size() {
        return users.length;
    }

    public int objectives() {
        return objectives;
    }

    public int user(int i) {
        return users[i];
    }

    public int position(int i) {
        return positions[i];
    }

    public int item(int i) {
        return items[i];
    }

    /** Label of objective {@code k} at row {@code i} (NaN when not recorded). */
    public float label(int i, int k) {
        return labelWeight[i * objectives + k] > 0 ? labels[i * objectives + k] : Float.NaN;
    }

    /** The P-Score's target at row {@code i} (NaN when no positive objective was recorded). */
    public float fusedTarget(int i) {
        return fusedWeight[i] > 0 ? fused[i] : Float.NaN;
    }

    /** A training batch of rows {@code idx}: inputs and the arrays {@link PScoreModel#loss} takes. */
    public Batch batch(RewardFeatures features, int[] idx) {
        int b = idx.length;
        int[] u = new int[b];
        int[] p = new int[b];
        int[] it = new int[b];
        float[] l = new float[b * objectives];
        float[] lw = new float[b * objectives];
        float[] f = new float[b];
        float[] fw = new float[b];
        for (int j = 0; j < b; j++) {
            int i = idx[j];
            u[j] = users[i];
            p[j] = positions[i];
            it[j] = items[i];
            System.arraycopy(labels, i * objectives, l, j * objectives, objectives);
            System.arraycopy(labelWeight, i * objectives, lw, j * objectives, objectives);
            f[j] = fused[i];
            fw[j] = fusedWeight[i];
        }
        return new Batch(features.build(u, p, it), l, lw, f, fw);
    }

    /** One batch of rows: model inputs, labels and their weights, fused targets and theirs. */
    public record Batch(RewardInputs inputs, float[] labels, float[] labelWeight, float[] fused, float[] fusedWeight) {
    }
}
