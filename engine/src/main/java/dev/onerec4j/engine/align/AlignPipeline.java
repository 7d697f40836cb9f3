package dev.onerec4j.engine.align;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import dev.onerec4j.engine.UserException;
import dev.onerec4j.engine.data.Dataset;
import dev.onerec4j.engine.data.split.Examples;
import dev.onerec4j.engine.data.split.LeaveOneOutSplit;
import dev.onerec4j.engine.data.synthetic.SyntheticWorld;
import dev.onerec4j.engine.eval.Evaluator;
import dev.onerec4j.engine.eval.GenerativeRanker;
import dev.onerec4j.engine.model.ModelFactory;
import dev.onerec4j.engine.model.OneRecModel;
import dev.onerec4j.engine.model.config.RunConfig;
import dev.onerec4j.engine.reward.PScorer;
import dev.onerec4j.engine.reward.TrainedReward;
import dev.onerec4j.engine.sample.ContextBatchBuilder;
import dev.onerec4j.engine.train.AtomicFiles;
import dev.onerec4j.engine.train.GenerativeTask;
import dev.onerec4j.engine.train.ModelFiles;
import dev.onerec4j.engine.train.RunDirectory;
import dev.onerec4j.engine.train.RunTokenizer;
import dev.onerec4j.engine.train.TrainedRun;
import dev.onerec4j.tensors.MemoryScope;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Preference alignment of a trained run: restores the model, builds the reward (the P-Score of a trained reward
 * model, the simulator's true value, or simulated feedback with duration-aware shaping; optionally wrapped in the
 * industrial reward), measures the model's top-k on held-out users, runs {@link EcpoTrainer} with generation on the
 * snapshot schedule of {@link RolloutGenerator}, measures again, and writes a new run folder that {@code eval}
 * and serving read like any other (run.json, tokenizer/, best/model.safetensors) plus {@code align.json} and
 * {@code align.csv}.
 */
public final class AlignPipeline {

    /** Where the RL rewards come from. */
    public enum RewardKind {
        /** The reward model's P-Score (needs a reward folder). */
        PSCORE,
        /** The simulator's true value: an oracle upper reference (simulator data only). */
        SIMULATOR,
        /** Simulated user feedback with OneRec-V2's duration-aware shaping (simulator data only). */
        FEEDBACK
    }

    /**
     * @param model       the trained run folder
     * @param rewardDir   the reward model folder (null unless the reward kind needs it; also used for P-Score@k)
     * @param out         the aligned run folder to write
     * @param dataset     the run's data set
     * @param world       its simulator world, or null for real data
     * @param evalUsers   test users measured before and after (0 = all)
     */
    public record Request(Path model, Path rewardDir, Path out, Dataset dataset, SyntheticWorld world, RewardKind kind,
                          AlignConfig config, int evalUsers, boolean progress, PrintStream log) {
    }

    /** Before/after measurements and the run summary ({@code align.json}). */
    @JsonPropertyOrder({"reward", "config", "before", "after", "legalityBefore", "legalityAfter", "steps", "seconds"})
    public record Outcome(String reward, AlignConfig config, AlignmentReport before, AlignmentReport after,
                          Legality legalityBefore, Legality legalityAfter, long steps, double seconds) {
    }

    /** Share of unconstrained generations that name an item: the top-k beams, and top-k samples. */
    public record Legality(double beams, double sampled) {
    }

    static final int LEGALITY_SAMPLES = 16;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private AlignPipeline() {
    }

    public static Outcome run(Request r) {
        AlignConfig c = r.config().validate();
        if (Files.exists(r.out().resolve("run.json"))) {
            throw new UserException(r.out() + " already holds a run: choose another --out");
        }
        if (r.kind() != RewardKind.PSCORE && r.world() == null) {
            throw new UserException("--reward-source " + r.kind().name().toLowerCase(java.util.Locale.ROOT)
                    + " needs simulator data (a data folder with world.json, written by simulate or quickstart)");
        }
        if (r.kind() == RewardKind.PSCORE && r.rewardDir() == null) {
            throw new UserException("align with the P-Score needs --reward (a folder written by train-reward)");
        }
        if (c.durationShaping && r.kind() != RewardKind.FEEDBACK) {
            throw new UserException("duration-aware shaping shapes simulated feedback: use --reward-source feedback");
        }
        long t0 = System.nanoTime();
        Dataset dataset = r.dataset();
        try (TrainedRun trained = TrainedRun.open(r.model(), dataset);
             TrainedReward rm = r.rewardDir() == null ? null : TrainedReward.open(r.rewardDir(), dataset);
             MemoryScope snapshots = MemoryScope.owned("rl-snapshots")) {
            OneRecModel model = trained.oneRec();
            if (model == null) {
                throw new UserException(r.model() + " is a SASRec run; preference alignment needs a OneRec run");
            }
            RunConfig cfg = trained.info().config();
            ContextBatchBuilder builder = trained.contextBuilder();
            LeaveOneOutSplit split = LeaveOneOutSplit.of(dataset.histories());
            PScorer scorer = rm == null ? null : rm.scorer();
            int sirClass = -1;
            if (c.sirClass != null) {
                sirClass = dataset.items().classIndex(c.sirClass);
                if (sirClass < 0) {
                    throw new UserException("--sir-class " + c.sirClass + " is not an item class of " + dataset.name());
                }
            }
            RewardSource reward = rewardSource(r, c, scorer, split);
            if (sirClass >= 0) {
                reward = new IndustrialReward(reward, dataset.items(), sirClass, c.sirTarget, c.sirFactor);
            }
            int watched = sirClass >= 0 ? sirClass : r.world() != null ? r.world().overExposedClassIn(dataset) : -1;
            Examples test = split.test();
            int[] subset = Evaluator.sample(test.size(), r.evalUsers(), 1);
            int k = cfg.eval.k;
            int beam = Math.max(cfg.eval.beamWidth, k);
            AlignmentEvaluator before = new AlignmentEvaluator(new GenerativeRanker(model, builder, dataset.histories(),
                    beam), k, cfg.eval.batchSize, scorer, r.world(), dataset.items(), watched);
            AlignmentReport reportBefore = before.evaluate(test, subset, !cfg.eval.keepHistory);
            Legality legalityBefore = legality(model, builder, dataset, test, subset, beam, cfg, c);
            if (r.log() != null) {
                r.log().println("reward: " + reward.describe());
                r.log().print("before alignment (" + subset.length + " test users):\n" + reportBefore.table());
            }
            int[] sftExamples = c.rsft ? RsftFilter.keep(split.train(), c.rsftSessionGapSeconds, c.rsftDrop) : null;
            if (sftExamples != null && r.log() != null) {
                r.log().printf("RSFT keeps %,d of %,d training examples%n", sftExamples.length, split.train().size());
            }
            GenerativeTask sft = new GenerativeTask(model, builder, split.train(), cfg.train.labelSmoothing, beam);
            RolloutMaker maker = new RolloutMaker(c, builder, dataset.histories(), split.train(), reward, dataset.items(),
                    sirClass >= 0 ? sirClass : watched);
            RunDirectory out = RunDirectory.create(r.out());
            EcpoTrainer.Result result;
            Path log = r.out().resolve("align.csv");
            try (RolloutGenerator generator = new RolloutGenerator(maker, () -> ModelFactory.create(cfg.model,
                    trained.info().space(), model.semanticIds(), snapshots, cfg.train.seed), model, c.refreshEvery,
                    c.steps)) {
                result = new EcpoTrainer(model, sft, sftExamples, builder, c).run(generator, log, r.progress(), r.log());
            }
            model.train(false);
            AlignmentReport reportAfter = before.evaluate(test, subset, !cfg.eval.keepHistory);
            Legality legalityAfter = legality(model, builder, dataset, test, subset, beam, cfg, c);
            trained.info().save(out);
            RunTokenizer.copy(RunDirectory.open(r.model()).tokenizer(), out.tokenizer());
            Files.createDirectories(out.best());
            ModelFiles.write(out.best().resolve("model.safetensors"), model.stateTensors(),
                    Map.of("aligned_from", r.model().toAbsolutePath().toString()));
            Outcome outcome = new Outcome(reward.describe(), c, reportBefore, reportAfter, legalityBefore,
                    legalityAfter, result.steps(), (System.nanoTime() - t0) / 1e9);
            AtomicFiles.writeString(r.out().resolve("align.json"), JSON.writeValueAsString(outcome));
            return outcome;
        } catch (IOException e) {
            throw new UserException("cannot write the aligned run into " + r.out() + ": " + e.getMessage());
        }
    }

    private static RewardSource rewardSource(Request r, AlignConfig c, PScorer scorer, LeaveOneOutSplit split) {
        return switch (r.kind()) {
            case PSCORE -> new PScoreReward(scorer);
            case SIMULATOR -> new SimulatorValueReward(r.world());
            case FEEDBACK -> c.durationShaping
                    ? new DurationAwareReward(r.world(), DurationBuckets.fit(r.dataset(), c.durationBuckets,
                            split::trainEnd), c.durationQuantile)
                    : new FeedbackReward(r.world());
        };
    }

    private static Legality legality(OneRecModel model, ContextBatchBuilder builder, Dataset dataset, Examples test,
                                     int[] subset, int beam, RunConfig cfg, AlignConfig c) {
        GenerativeRanker ranker = new GenerativeRanker(model, builder, dataset.histories(), beam);
        double beams = Evaluator.legality(ranker, test, subset, cfg.eval.k, cfg.eval.batchSize);
        double sampled = SampledLegality.measure(model, builder, dataset.histories(), test, subset, LEGALITY_SAMPLES,
                c.topK, c.seed);
        return new Legality(beams, sampled);
    }
}
