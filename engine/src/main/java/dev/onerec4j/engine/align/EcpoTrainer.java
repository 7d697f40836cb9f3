package dev.onerec4j.engine.align;

import dev.onerec4j.engine.model.DropoutStream;
import dev.onerec4j.engine.model.OneRecModel;
import dev.onerec4j.engine.sample.ContextBatch;
import dev.onerec4j.engine.sample.ContextBatchBuilder;
import dev.onerec4j.engine.train.DataOrder;
import dev.onerec4j.engine.train.GenerativeTask;
import dev.onerec4j.tensors.MemoryScope;
import dev.onerec4j.tensors.Tensor;
import dev.onerec4j.tensors.nn.MixtureOfExperts;
import dev.onerec4j.tensors.ops.Arith;
import dev.onerec4j.tensors.optim.AdamW;
import dev.onerec4j.tensors.optim.GradClip;
import dev.onerec4j.tensors.optim.WarmupCosine;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The preference-alignment loop: every step adds the supervised next-token loss on a batch of (optionally
 * RSFT-filtered) training examples, the RL loss (ECPO, GBPO or PPO clipping, no KL term) on the step's rollout of
 * generated items, and the format reward's loss on its legal unconstrained samples; then one AdamW update
 * (warm-up and cosine decay, global-norm clipping) and the MoE balance update. The RL terms are computed without
 * dropout, so the ratio compares the policy with its snapshot and not with a dropout sample of it.
 */
public final class EcpoTrainer {

    /** What the loop did: steps, the last log row, wall time. */
    public record Result(long steps, AlignLog.Row last, double seconds) {
    }

    private final OneRecModel model;
    private final GenerativeTask sft;
    private final int[] sftExamples;
    private final ContextBatchBuilder builder;
    private final AlignConfig config;

    /**
     * @param sft         the supervised task (its training examples and loss)
     * @param sftExamples indices of the task's examples to train on (RSFT's kept ones), or null for all
     */
    public EcpoTrainer(OneRecModel model, GenerativeTask sft, int[] sftExamples, ContextBatchBuilder builder,
                       AlignConfig config) {
        this.model = model;
        this.sft = sft;
        this.sftExamples = sftExamples;
        this.builder = builder;
        this.config = config;
    }

    public Result run(RolloutGenerator generator, Path logFile, boolean progress, java.io.PrintStream out) {
        long t0 = System.nanoTime();
        Map<String, Tensor> params = model.namedParameters();
        Set<String> noDecay = new HashSet<>();
        params.forEach((name, t) -> {
            if (t.rank() <= 1) {
                noDecay.add(name);
            }
        });
        AdamW optimizer = new AdamW(params, 0.9, 0.98, 1e-8, config.weightDecay, noDecay);
        WarmupCosine schedule = new WarmupCosine(config.lr, config.warmupSteps, config.steps, config.minLrRatio);
        int exampleCount = sftExamples != null ? sftExamples.length : sft.exampleCount();
        DataOrder order = config.sftBatch > 0 && exampleCount > 0 ? new DataOrder(config.seed, exampleCount, 0, 0) : null;
        List<MixtureOfExperts> moe = model.moeLayers();
        Window w = new Window();
        AlignLog.Row last = null;
        model.train(true);
        try (AlignLog log = new AlignLog(logFile); ProgressBar bar = progress ? bar(config.steps) : null) {
            for (long step = 0; step < config.steps; step++) {
                Rollout rollout = generator.take(step);
                double lr = schedule.at(step);
                optimizer.zeroGrad();
                try (MemoryScope s = MemoryScope.open("align-step")) {
                    Tensor loss = null;
                    if (order != null) {
                        int[] ids = order.next(config.sftBatch);
                        if (sftExamples != null) {
                            for (int i = 0; i < ids.length; i++) {
                                ids[i] = sftExamples[ids[i]];
                            }
                        }
                        DropoutStream drop = new DropoutStream(sft.dropout(),
                                DropoutStream.passSeed(config.seed, step, 0), true);
                        Tensor l = sft.loss(ids, drop);
                        w.sftLoss += l.item();
                        loss = Arith.scale(l, config.sftWeight);
                    }
                    ContextBatch contexts = rollout.rl().size() + rollout.format().size() > 0
                            ? builder.build(rollout.users(), rollout.positions()) : null;
                    if (rollout.rl().size() > 0) {
                        Scored rl = score(contexts, rollout.rl(), config.clip);
                        w.objective += rl.terms().objective();
                        w.clipped += (double) rl.terms().clipped() / rollout.rl().size();
                        w.ratio += rl.terms().meanRatio();
                        loss = add(loss, Arith.scale(rl.loss(), config.rlWeight));
                    }
                    if (rollout.format().size() > 0) {
                        Scored format = score(contexts, rollout.format(), ClipVariant.ECPO);
                        loss = add(loss, Arith.scale(format.loss(), config.formatWeight));
                    }
                    if (loss != null) {
                        loss.backward();
                    }
                }
                double norm = GradClip.clipGlobalNorm(params.values(), config.clipNorm);
                if (Double.isFinite(norm)) {
                    optimizer.step(lr);
                }
                for (MixtureOfExperts m : moe) {
                    m.updateBalance();
                }
                w.add(rollout, norm, step);
                if ((step + 1) % config.logEvery == 0 || step + 1 == config.steps) {
                    last = w.row(step + 1, lr, (System.nanoTime() - t0) / 1e9);
                    log.append(last);
                    if (bar != null) {
                        bar.setExtraMessage(String.format(Locale.ROOT, " sft %.3f | reward %.4f", last.sftLoss(),
                                last.meanReward()));
                    }
                    w = new Window();
                }
                if (bar != null) {
                    bar.stepTo(step + 1);
                }
            }
        } finally {
            model.train(false);
        }
        return new Result(config.steps, last, (System.nanoTime() - t0) / 1e9);
    }

    /** The policy objective's per-sample constants and its loss tensor. */
    private record Scored(PolicyLoss.Terms terms, Tensor loss) {
    }

    private Scored score(ContextBatch contexts, Rollout.Samples samples, ClipVariant variant) {
        int levels = model.semanticIds().levels();
        int n = samples.size();
        int[] sids = new int[n * levels];
        for (int i = 0; i < n; i++) {
            for (int l = 0; l < levels; l++) {
                sids[i * levels + l] = model.semanticIds().token(samples.items()[i], l);
            }
        }
        Tensor logp = model.groupLogProbs(contexts, sids, samples.owner(), DropoutStream.off());
        PolicyLoss.Terms terms = PolicyLoss.terms(variant, logp.toDoubleArray(), samples.oldLogProbs(),
                samples.advantages(), samples.weights(), config.epsilon, config.delta);
        return new Scored(terms, PolicyLoss.loss(logp, terms));
    }

    private static Tensor add(Tensor a, Tensor b) {
        return a == null ? b : Arith.add(a, b);
    }

    /** Sums over the current log interval. */
    private static final class Window {
        int steps;
        int rlSteps;
        int formatSteps;
        int sirSteps;
        double sftLoss;
        double objective;
        double reward;
        double clipped;
        double ratio;
        double norm;
        double legality;
        double suppressed;
        double lag;

        void add(Rollout r, double gradNorm, long step) {
            steps++;
            norm += gradNorm;
            lag += step - r.policyVersion();
            if (!Double.isNaN(r.meanReward())) {
                rlSteps++;
                reward += r.meanReward();
            }
            if (!Double.isNaN(r.formatLegality())) {
                formatSteps++;
                legality += r.formatLegality();
            }
            if (!Double.isNaN(r.suppressedShare())) {
                sirSteps++;
                suppressed += r.suppressedShare();
            }
        }

        AlignLog.Row row(long step, double lr, double seconds) {
            double n = Math.max(1, steps);
            return new AlignLog.Row(step, lr, sftLoss / n, objective / n, rlSteps == 0 ? Double.NaN : reward / rlSteps,
                    clipped / n, ratio / n, norm / n, formatSteps == 0 ? Double.NaN : legality / formatSteps,
                    sirSteps == 0 ? Double.NaN : suppressed / sirSteps, lag / n, seconds);
        }
    }

    private static ProgressBar bar(long total) {
        return new ProgressBarBuilder().setTaskName("align").setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(1000).setUnit(" steps", 1).continuousUpdate()
                .setConsumer(new ConsoleProgressBarConsumer(System.err)).build();
    }
}
