package dev.onerec4j.engine.train;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.onerec4j.engine.data.split.Examples;
import dev.onerec4j.engine.eval.Evaluator;
import dev.onerec4j.engine.eval.RankingMetrics;
import dev.onerec4j.engine.model.DropoutStream;
import dev.onerec4j.engine.model.config.EvalConfig;
import dev.onerec4j.engine.model.config.TrainConfig;
import dev.onerec4j.tensors.MemoryScope;
import dev.onerec4j.tensors.Tensor;
import dev.onerec4j.tensors.nn.Autocast;
import dev.onerec4j.tensors.nn.MixtureOfExperts;
import dev.onerec4j.tensors.nn.Module;
import dev.onerec4j.tensors.ops.Arith;
import dev.onerec4j.tensors.optim.AdamW;
import dev.onerec4j.tensors.optim.GradClip;
import dev.onerec4j.tensors.optim.WarmupCosine;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The training loop: AdamW with warm-up and cosine decay, gradient accumulation, global-norm clipping, optional
 * BF16 matrix products (FP32 master weights), MoE loss-free balancing after every optimizer step, periodic
 * checkpoints, validation with early stopping on Recall@10, a CSV log, a loss plot and a progress bar.
 *
 * <p>Exact resume: the data order is a function of (seed, epoch, cursor), dropout masks of (seed, step,
 * micro-batch), and a checkpoint holds parameters, MoE balance biases, optimizer moments and step, data-order
 * position and early-stopping state; a resumed run therefore performs bit-for-bit the steps the uninterrupted
 * run would have.
 */
public final class Trainer {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final TrainConfig config;
    private final EvalConfig evalConfig;
    private final TrainingTask task;
    private final Examples validation;
    private final int[] validationSubset;
    private final RunDirectory run;
    private final TrainOptions options;

    public Trainer(TrainConfig config, EvalConfig evalConfig, TrainingTask task, Examples validation,
                   RunDirectory run, TrainOptions options) {
        this.config = config;
        this.evalConfig = evalConfig;
        this.task = task;
        this.validation = validation;
        this.validationSubset = validation == null ? null
                : Evaluator.sample(validation.size(), config.evalUsers, config.seed);
        this.run = run;
        this.options = options;
    }

    /** Optimizer steps per epoch. */
    public long stepsPerEpoch() {
        long perStep = (long) config.batchSize * config.accumulation;
        return Math.max(1, (task.exampleCount() + perStep - 1) / perStep);
    }

    public long totalSteps() {
        return config.maxSteps > 0 ? config.maxSteps : Math.max(1, (long) Math.ceil(config.epochs * stepsPerEpoch()));
    }

    public TrainResult run() {
        Module model = task.model();
        Map<String, Tensor> params = model.namedParameters();
        AdamW optimizer = new AdamW(params, config.beta1, config.beta2, 1e-8, config.weightDecay, noDecay(params));
        Checkpoints checkpoints = new Checkpoints(run.checkpoints(), config.keepCheckpoints, options.commitHook());
        TrainState state = new TrainState();
        boolean resumed = false;
        if (options.resume()) {
            Optional<java.nio.file.Path> latest = checkpoints.latest();
            if (latest.isPresent()) {
                state = Checkpoints.load(latest.get(), model, optimizer);
                resumed = true;
                say("resumed from " + latest.get() + " at step " + state.step);
            } else {
                say("no checkpoint in " + run.checkpoints() + ": starting from scratch");
            }
        }
        state.modelSignature = ModelFiles.signature(model.stateTensors());
        long total = totalSteps();
        long evalEvery = config.evalEvery > 0 ? config.evalEvery : stepsPerEpoch();
        WarmupCosine schedule = new WarmupCosine(config.lr, config.warmupSteps, total, config.minLrRatio);
        DataOrder order = new DataOrder(config.seed, task.exampleCount(), state.epoch, state.cursor);
        List<MixtureOfExperts> moe = task.moeLayers();
        long[][] windowLoad = new long[moe.size()][];
        double lastImbalance = Double.NaN;
        double lastLoss = Double.NaN;
        long startNanos = System.nanoTime();
        double elapsedBefore = state.elapsedSeconds;
        long windowStart = System.nanoTime();
        long windowSamples = 0;
        double windowLoss = state.windowLoss;
        int windowSteps = state.windowSteps;
        long samplesThisRun = 0;
        boolean limited = false;
        boolean checkpointed = false;
        model.train(true);
        try (TrainLog log = new TrainLog(run.trainLog(), resumed ? state.step : -1);
             ProgressBar bar = progressBar(total, state.step)) {
            while (state.step < total && !state.stoppedEarly) {
                double minutes = (System.nanoTime() - startNanos) / 60e9;
                if ((options.maxMinutes() > 0 && minutes >= options.maxMinutes())
                        || (options.stopAfterSteps() > 0 && state.step >= options.stopAfterSteps())) {
                    limited = true;
                    break;
                }
                checkpointed = false;
                double lr = schedule.at(state.step);
                double stepLoss = trainStep(state.step, order, optimizer, lr);
                double norm = GradClip.clipGlobalNorm(params.values(), config.clipNorm);
                if (Double.isFinite(norm)) {
                    optimizer.step(lr);
                } else {
                    say("step " + state.step + ": non-finite gradient norm, update skipped");
                }
                for (int m = 0; m < moe.size(); m++) {
                    long[] load = moe.get(m).updateBalance();
                    windowLoad[m] = windowLoad[m] == null ? load : add(windowLoad[m], load);
                }
                state.step++;
                state.epoch = order.epoch();
                state.cursor = order.cursor();
                int samples = config.batchSize * config.accumulation;
                windowSamples += samples;
                samplesThisRun += samples;
                windowLoss += stepLoss;
                windowSteps++;
                boolean lastStep = state.step == total;
                if (state.step % config.logEvery == 0 || lastStep) {
                    double seconds = (System.nanoTime() - windowStart) / 1e9;
                    double sps = windowSamples / Math.max(seconds, 1e-9);
                    double[] moeStats = moeStats(windowLoad);
                    lastImbalance = moeStats[0];
                    lastLoss = windowLoss / windowSteps;
                    log.append(new TrainLog.Row(state.step, order.progress(), lastLoss, lr, norm, sps,
                            sps * task.tokensPerExample(), elapsedBefore + (System.nanoTime() - startNanos) / 1e9,
                            moeStats[0], moeStats[1], moeStats[2], Double.NaN, Double.NaN));
                    if (bar != null) {
                        bar.setExtraMessage(String.format(Locale.ROOT, " loss %.4f | %.0f tok/s", lastLoss,
                                sps * task.tokensPerExample()));
                    }
                    windowStart = System.nanoTime();
                    windowSamples = 0;
                    windowLoss = 0;
                    windowSteps = 0;
                    java.util.Arrays.fill(windowLoad, null);
                }
                if (bar != null) {
                    bar.stepTo(state.step);
                }
                state.elapsedSeconds = elapsedBefore + (System.nanoTime() - startNanos) / 1e9;
                state.windowLoss = windowLoss;
                state.windowSteps = windowSteps;
                if (validation != null && (state.step % evalEvery == 0 || lastStep)) {
                    validate(model, state, log, order);
                    checkpoints.save(model, optimizer, state);
                    checkpointed = true;
                } else if (config.checkpointEvery > 0 && state.step % config.checkpointEvery == 0) {
                    checkpoints.save(model, optimizer, state);
                    checkpointed = true;
                }
            }
            state.elapsedSeconds = elapsedBefore + (System.nanoTime() - startNanos) / 1e9;
            if (!checkpointed && state.step > 0) {
                checkpoints.save(model, optimizer, state);
            }
            LossPlot.write(run.lossPlot(), log.rows(), "training loss");
        } finally {
            model.train(false);
        }
        double secondsThisRun = (System.nanoTime() - startNanos) / 1e9;
        return new TrainResult(state.step, state.bestMetric, state.bestStep, state.stoppedEarly, limited,
                state.elapsedSeconds, lastLoss, samplesThisRun / Math.max(secondsThisRun, 1e-9), lastImbalance);
    }

    /** Forward and backward over the step's micro-batches; returns the mean loss. */
    private double trainStep(long step, DataOrder order, AdamW optimizer, double lr) {
        optimizer.zeroGrad();
        double sum = 0;
        for (int micro = 0; micro < config.accumulation; micro++) {
            int[] ids = order.next(config.batchSize);
            try (MemoryScope s = MemoryScope.open("train-step");
                 var cast = config.bf16 ? Autocast.bf16() : Autocast.off()) {
                DropoutStream drop = new DropoutStream(task.dropout(),
                        DropoutStream.passSeed(config.seed, step, micro), true);
                Tensor loss = task.loss(ids, drop);
                sum += loss.item();
                (config.accumulation == 1 ? loss : Arith.scale(loss, 1.0 / config.accumulation)).backward();
            }
        }
        return sum / config.accumulation;
    }

    private void validate(Module model, TrainState state, TrainLog log, DataOrder order) {
        model.train(false);
        RankingMetrics m;
        try {
            Evaluator evaluator = new Evaluator(task.ranker(), evalConfig.k, evalConfig.batchSize);
            m = evaluator.evaluate(validation, validationSubset, !evalConfig.keepHistory, null);
        } finally {
            model.train(true);
        }
        int cutoff = Math.min(10, evalConfig.k);
        double recall = m.recall(cutoff);
        double ndcg = m.ndcg(cutoff);
        log.append(new TrainLog.Row(state.step, order.progress(), Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                Double.NaN, state.elapsedSeconds, Double.NaN, Double.NaN, Double.NaN, recall, ndcg));
        say(String.format(Locale.ROOT, "step %d: validation %s", state.step, m));
        if (recall > state.bestMetric) {
            state.bestMetric = recall;
            state.bestStep = state.step;
            state.evalsWithoutImprovement = 0;
            saveBest(model, state, m);
        } else {
            state.evalsWithoutImprovement++;
            if (config.patience > 0 && state.evalsWithoutImprovement >= config.patience) {
                state.stoppedEarly = true;
                say("validation Recall@" + cutoff + " did not improve for " + config.patience
                        + " evaluations: stopping early (best " + String.format(Locale.ROOT, "%.4f", state.bestMetric)
                        + " at step " + state.bestStep + ")");
            }
        }
    }

    private void saveBest(Module model, TrainState state, RankingMetrics m) {
        try {
            Files.createDirectories(run.best());
            ModelFiles.write(run.best().resolve("model.safetensors"), model.stateTensors(),
                    Map.of("step", Long.toString(state.step)));
            Map<String, Object> info = new java.util.LinkedHashMap<>();
            info.put("step", state.step);
            info.put("validation", m.asMap());
            info.put("validationUsers", m.users());
            AtomicFiles.writeString(run.best().resolve("best.json"), JSON.writeValueAsString(info));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the best model in " + run.best() + ": " + e.getMessage(), e);
        }
    }

    /** Norm gains, biases and other vectors are not decayed. */
    private static Set<String> noDecay(Map<String, Tensor> params) {
        Set<String> out = new HashSet<>();
        params.forEach((name, t) -> {
            if (t.rank() <= 1) {
                out.add(name);
            }
        });
        return out;
    }

    private static long[] add(long[] a, long[] b) {
        long[] out = a.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] += b[i];
        }
        return out;
    }

    /** Mean over MoE layers of max/min load, and the mean max and min load shares; NaN when dense. */
    private static double[] moeStats(long[][] loads) {
        if (loads.length == 0 || loads[0] == null) {
            return new double[] {Double.NaN, Double.NaN, Double.NaN};
        }
        double ratio = 0;
        double maxShare = 0;
        double minShare = 0;
        for (long[] load : loads) {
            long sum = java.util.Arrays.stream(load).sum();
            ratio += MixtureOfExperts.imbalance(load);
            maxShare += (double) java.util.Arrays.stream(load).max().orElse(0) / Math.max(1, sum);
            minShare += (double) java.util.Arrays.stream(load).min().orElse(0) / Math.max(1, sum);
        }
        return new double[] {ratio / loads.length, maxShare / loads.length, minShare / loads.length};
    }

    private ProgressBar progressBar(long total, long initial) {
        if (!options.progressBar()) {
            return null;
        }
        return new ProgressBarBuilder().setTaskName("train").setInitialMax(total).startsFrom(initial,
                        java.time.Duration.ZERO).setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(1000)
                .setUnit(" steps", 1).continuousUpdate()
                .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err)).build();
    }

    private void say(String line) {
        if (options.out() != null) {
            options.out().println(line);
        }
    }
}
