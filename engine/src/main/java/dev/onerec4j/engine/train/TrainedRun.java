package dev.onerec4j.engine.train;

import dev.onerec4j.engine.UserException;
import dev.onerec4j.engine.baseline.SasRecModel;
import dev.onerec4j.engine.baseline.SasRecRanker;
import dev.onerec4j.engine.data.Dataset;
import dev.onerec4j.engine.eval.GenerativeRanker;
import dev.onerec4j.engine.eval.Ranker;
import dev.onerec4j.engine.model.ModelFactory;
import dev.onerec4j.engine.model.OneRecModel;
import dev.onerec4j.engine.sample.ContextBatchBuilder;
import dev.onerec4j.engine.sample.FeatureSpace;
import dev.onerec4j.tensors.MemoryScope;
import dev.onerec4j.tensors.nn.Module;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A trained model restored from its run folder for a data set of the same shape: the configuration and feature
 * space from {@code run.json}, the tokenization from {@code tokenizer/}, and the weights of {@code best/} (the best
 * validation model) or else of the latest checkpoint.
 */
public final class TrainedRun implements AutoCloseable {

    private final RunInfo info;
    private final Module model;
    private final OneRecModel oneRec;
    private final SasRecModel sasRec;
    private final ContextBatchBuilder builder;
    private final Dataset dataset;
    private final Path weights;
    private final MemoryScope scope;

    private TrainedRun(RunInfo info, Module model, OneRecModel oneRec, SasRecModel sasRec, ContextBatchBuilder builder,
                       Dataset dataset, Path weights, MemoryScope scope) {
        this.info = info;
        this.model = model;
        this.oneRec = oneRec;
        this.sasRec = sasRec;
        this.builder = builder;
        this.dataset = dataset;
        this.weights = weights;
        this.scope = scope;
    }

    public static TrainedRun open(Path dir, Dataset dataset) {
        RunDirectory run = RunDirectory.open(dir);
        RunInfo info = RunInfo.load(run);
        Path weights = weightsOf(run);
        MemoryScope scope = MemoryScope.owned("model " + dir);
        Module model;
        OneRecModel oneRec = null;
        SasRecModel sasRec = null;
        ContextBatchBuilder builder = null;
        if (RunInfo.SASREC.equals(info.modelType())) {
            if (dataset.numItems() != info.space().items()) {
                throw new UserException("the data set has " + dataset.numItems() + " items but the run was trained on "
                        + info.space().items());
            }
            sasRec = new SasRecModel(info.config().sasrec, info.space().items(), scope, info.config().train.seed);
            model = sasRec;
        } else {
            RunTokenizer tokenizer = RunTokenizer.load(run.tokenizer());
            FeatureSpace data = FeatureSpace.of(dataset, tokenizer.semanticIds());
            info.space().requireCompatible(data, "the data set " + dataset.name());
            oneRec = ModelFactory.create(info.config().model, info.space(), tokenizer.semanticIds(), scope,
                    info.config().train.seed);
            builder = new ContextBatchBuilder(dataset, info.space(), info.config().model, tokenizer.itemVectors());
            model = oneRec;
        }
        ModelFiles.read(weights, model.stateTensors(), "model weights");
        model.train(false);
        return new TrainedRun(info, model, oneRec, sasRec, builder, dataset, weights, scope);
    }

    /** {@code best/model.safetensors}, else the latest checkpoint's model. */
    public static Path weightsOf(RunDirectory run) {
        Path best = run.best().resolve("model.safetensors");
        if (Files.isRegularFile(best)) {
            return best;
        }
        Optional<Path> latest = new Checkpoints(run.checkpoints(), 1).latest();
        if (latest.isEmpty()) {
            throw new UserException("run " + run.root() + " has no trained weights yet (no best/ model and no checkpoint)");
        }
        return latest.get().resolve("model.safetensors");
    }

    public RunInfo info() {
        return info;
    }

    public Module model() {
        return model;
    }

    /** The OneRec model, or null for a SASRec run. */
    public OneRecModel oneRec() {
        return oneRec;
    }

    public ContextBatchBuilder contextBuilder() {
        return builder;
    }

    public Dataset dataset() {
        return dataset;
    }

    public Path weights() {
        return weights;
    }

    /** A ranker with the given beam width (ignored by SASRec, which scores the whole catalogue). */
    public Ranker ranker(int beamWidth) {
        return oneRec != null ? new GenerativeRanker(oneRec, builder, dataset.histories(), beamWidth)
                : new SasRecRanker(sasRec, dataset.histories());
    }

    @Override
    public void close() {
        scope.close();
    }
}
