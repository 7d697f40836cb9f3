package dev.onerec4j.engine.train;

import dev.onerec4j.engine.UserException;
import dev.onerec4j.engine.baseline.SasRecModel;
import dev.onerec4j.engine.baseline.SasRecTask;
import dev.onerec4j.engine.data.Dataset;
import dev.onerec4j.engine.data.split.LeaveOneOutSplit;
import dev.onerec4j.engine.model.FlopCount;
import dev.onerec4j.engine.model.ModelFactory;
import dev.onerec4j.engine.model.OneRecModel;
import dev.onerec4j.engine.model.config.RunConfig;
import dev.onerec4j.engine.sample.ContextBatchBuilder;
import dev.onerec4j.engine.sample.FeatureSpace;
import dev.onerec4j.engine.tokenizer.Progress;
import dev.onerec4j.tensors.MemoryScope;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A training run from data to a trained run folder: split, tokenization (kept in the run folder), model, training
 * with checkpoints and validation. Used by the {@code train} and {@code quickstart} commands.
 */
public final class TrainPipeline {

    /**
     * @param dataset   the data
     * @param dataPath  where it was read from (recorded in run.json)
     * @param format    its format name
     * @param config    the run configuration
     * @param out       the run folder
     * @param modelType {@link RunInfo#ONEREC} or {@link RunInfo#SASREC}
     * @param tokenizer a tokenizer folder to use (copied into the run folder); null = tokenize the data set
     *                  (ignored for SASRec; on resume the run folder's own tokenizer is used)
     * @param options   resume, time limit, progress output
     */
    public record Request(Dataset dataset, Path dataPath, String format, RunConfig config, Path out, String modelType,
                          Path tokenizer, TrainOptions options, Progress tokenizerProgress) {
    }

    /** The trained run: where it is, what training did, the parameter count and the per-sample FLOPs. */
    public record Outcome(RunDirectory run, TrainResult result, long parameters, FlopCount flops) {
    }

    private TrainPipeline() {
    }

    /** The run folder's tokenizer: kept on resume, else copied from the request's folder, else built. */
    private static RunTokenizer tokenizer(Request r, RunDirectory run, boolean resume) {
        if (resume && Files.isDirectory(run.tokenizer())) {
            return RunTokenizer.load(run.tokenizer());
        }
        AtomicFiles.deleteTree(run.tokenizer());
        if (r.tokenizer() != null) {
            return RunTokenizer.copy(r.tokenizer(), run.tokenizer());
        }
        if (r.options().out() != null) {
            r.options().out().println("tokenizing the items (no --tokenizer given) into " + run.tokenizer());
        }
        return RunTokenizer.build(r.dataset(), run.tokenizer(), r.config().train.seed, r.tokenizerProgress());
    }

    public static Outcome run(Request r) {
        RunDirectory run = RunDirectory.create(r.out());
        boolean resume = r.options().resume() && Files.isRegularFile(run.runFile());
        if (!r.options().resume() && Files.isDirectory(run.checkpoints())) {
            throw new UserException("run folder " + r.out() + " already holds a training run: pass --resume to continue "
                    + "it, or choose another --out");
        }
        LeaveOneOutSplit split = LeaveOneOutSplit.of(r.dataset().histories());
        PrintStream out = r.options().out();
        if (out != null) {
            out.println(r.dataset().summary());
        }
        MemoryScope scope = MemoryScope.owned("model");
        TrainingTask task;
        FeatureSpace space;
        FlopCount flops = null;
        if (RunInfo.SASREC.equals(r.modelType())) {
            SasRecModel model = new SasRecModel(r.config().sasrec, r.dataset().numItems(), scope, r.config().train.seed);
            task = new SasRecTask(model, split);
            space = new FeatureSpace(r.dataset().numItems(), r.dataset().numUsers(), new int[0],
                    java.util.List.of(), new int[0], java.util.List.of());
        } else if (RunInfo.ONEREC.equals(r.modelType())) {
            RunTokenizer tokenizer = tokenizer(r, run, resume);
            space = FeatureSpace.of(r.dataset(), tokenizer.semanticIds());
            OneRecModel model = ModelFactory.create(r.config().model, space, tokenizer.semanticIds(), scope,
                    r.config().train.seed);
            ContextBatchBuilder builder = new ContextBatchBuilder(r.dataset(), space, r.config().model,
                    tokenizer.itemVectors());
            task = new GenerativeTask(model, builder, split.train(), r.config().train.labelSmoothing,
                    r.config().eval.beamWidth);
            flops = model.flops(model.embedder().maxTokens());
        } else {
            throw new UserException("unknown model type '" + r.modelType() + "'; expected onerec or sasrec");
        }
        long parameters = task.model().parameterCount();
        new RunInfo(r.modelType(), r.dataPath() == null ? "" : r.dataPath().toString(), r.format(), r.dataset().name(),
                r.config(), space, parameters).save(run);
        if (RunInfo.ONEREC.equals(r.modelType())) {
            RunCatalog.of(r.dataset(), r.config().model.userIdEmbedding).save(run.catalog());
        }
        if (out != null) {
            out.printf(Locale.ROOT, "model: %s %s, %,d parameters%s%n", r.modelType(),
                    RunInfo.SASREC.equals(r.modelType()) ? "" : r.config().model.architecture.id(), parameters,
                    flops == null ? "" : ", " + flops);
            out.printf(Locale.ROOT, "training examples: %,d, validation users: %,d%n", task.exampleCount(),
                    split.validation().size());
        }
        Trainer trainer = new Trainer(r.config().train, r.config().eval, task, split.validation(), run, r.options());
        TrainResult result = trainer.run();
        scope.close();
        return new Outcome(run, result, parameters, flops);
    }
}
