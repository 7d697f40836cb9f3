package dev.onerec4j.engine.reward;

import dev.onerec4j.engine.train.DataOrder;
import dev.onerec4j.tensors.GradMode;
import dev.onerec4j.tensors.MemoryScope;
import dev.onerec4j.tensors.Tensor;
import dev.onerec4j.tensors.optim.AdamW;
import dev.onerec4j.tensors.optim.GradClip;
import dev.onerec4j.tensors.optim.WarmupCosine;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Trains a {@link PScoreModel} on logged rows (AdamW, warm-up then cosine decay, global-norm clipping; the data
 * order is a function of the seed) and measures the held-out AUC of every tower and of the P-Score.
 */
public final class RewardTrainer {

    private static final int PREDICT_BATCH = 512;

    private final PScoreModel model;
    private final RewardFeatures features;
    private final RewardConfig config;

    public RewardTrainer(PScoreModel model, RewardFeatures features, RewardConfig config) {
        this.model = model;
        this.features = features;
        this.config = config;
    }

    /** Trains on {@code split.train()} and evaluates on {@code split.heldOut()}. */
    public RewardReport train(String dataset, RewardRows.Split split, boolean progress) {
        long t0 = System.nanoTime();
        RewardRows rows = split.train();
        long perEpoch = Math.max(1, (rows.size() + config.batchSize - 1) / config.batchSize);
        long total = Math.max(1, (long) Math.ceil(config.epochs * perEpoch));
        Map<String, Tensor> params = model.namedParameters();
        Set<String> noDecay = new HashSet<>();
        params.forEach((name, t) -> {
            if (t.rank() <= 1) {
                noDecay.add(name);
            }
        });
        AdamW optimizer = new AdamW(params, 0.9, 0.98, 1e-8, config.weightDecay, noDecay);
        WarmupCosine schedule = new WarmupCosine(config.lr, config.warmupSteps, total, 0.05);
        DataOrder order = new DataOrder(config.seed, rows.size(), 0, 0);
        double windowLoss = 0;
        int windowSteps = 0;
        double lastEpochLoss = Double.NaN;
        model.train(true);
        try (ProgressBar bar = progress ? bar(total) : null) {
            for (long step = 0; step < total; step++) {
                optimizer.zeroGrad();
                double loss;
                try (MemoryScope s = MemoryScope.open("reward-step")) {
                    RewardRows.Batch b = rows.batch(features, order.next(config.batchSize));
                    Tensor l = model.loss(model.forward(b.inputs()), b.labels(), b.labelWeight(), b.fused(),
                            b.fusedWeight(), config.towerWeight);
                    loss = l.item();
                    l.backward();
                }
                double norm = GradClip.clipGlobalNorm(params.values(), config.clipNorm);
                if (Double.isFinite(norm)) {
                    optimizer.step(schedule.at(step));
                }
                windowLoss += loss;
                windowSteps++;
                if ((step + 1) % perEpoch == 0 || step + 1 == total) {
                    lastEpochLoss = windowLoss / windowSteps;
                    windowLoss = 0;
                    windowSteps = 0;
                }
                if (bar != null) {
                    bar.step();
                    bar.setExtraMessage(String.format(Locale.ROOT, " loss %.4f", loss));
                }
            }
        } finally {
            model.train(false);
        }
        Evaluation e = evaluate(split.heldOut());
        return new RewardReport(dataset, rows.size(), split.heldOut().size(), total, lastEpochLoss, e.towerAuc,
                e.positiveRate, e.pscoreAuc, (System.nanoTime() - t0) / 1e9);
    }

    private record Evaluation(Map<String, Double> towerAuc, Map<String, Double> positiveRate, double pscoreAuc) {
    }

    private Evaluation evaluate(RewardRows rows) {
        int n = rows.size();
        int k = rows.objectives();
        double[][] towerProb = new double[k][n];
        double[] pscore = new double[n];
        PScorer scorer = new PScorer(model, features);
        for (int from = 0; from < n; from += PREDICT_BATCH) {
            int to = Math.min(n, from + PREDICT_BATCH);
            int[] u = new int[to - from];
            int[] p = new int[to - from];
            int[] it = new int[to - from];
            for (int i = from; i < to; i++) {
                u[i - from] = rows.user(i);
                p[i - from] = rows.position(i);
                it[i - from] = rows.item(i);
            }
            PScorer.Scores s = scorer.scoreRows(u, p, it);
            for (int i = from; i < to; i++) {
                pscore[i] = s.pscore()[i - from];
                for (int j = 0; j < k; j++) {
                    towerProb[j][i] = s.towers()[(i - from) * k + j];
                }
            }
        }
        List<Objective> objectives = model.objectives();
        Map<String, Double> auc = new LinkedHashMap<>();
        Map<String, Double> rate = new LinkedHashMap<>();
        for (int j = 0; j < k; j++) {
            float[] labels = new float[n];
            double ones = 0;
            int counted = 0;
            for (int i = 0; i < n; i++) {
                labels[i] = rows.label(i, j);
                if (!Float.isNaN(labels[i])) {
                    ones += labels[i];
                    counted++;
                }
            }
            auc.put(objectives.get(j).name(), Auc.of(towerProb[j], labels));
            rate.put(objectives.get(j).name(), counted == 0 ? Double.NaN : ones / counted);
        }
        float[] any = new float[n];
        for (int i = 0; i < n; i++) {
            float f = rows.fusedTarget(i);
            any[i] = Float.isNaN(f) ? Float.NaN : f > 0 ? 1f : 0f;
        }
        return new Evaluation(auc, rate, Auc.of(pscore, any));
    }

    private static ProgressBar bar(long total) {
        return new ProgressBarBuilder().setTaskName("train-reward").setInitialMax(total)
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(1000).setUnit(" steps", 1)
                .continuousUpdate().setConsumer(new ConsoleProgressBarConsumer(System.err)).build();
    }
}
