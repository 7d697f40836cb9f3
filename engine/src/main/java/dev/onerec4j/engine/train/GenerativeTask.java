package dev.onerec4j.engine.train;

import dev.onerec4j.engine.data.Histories;
import dev.onerec4j.engine.data.split.Examples;
import dev.onerec4j.engine.eval.GenerativeRanker;
import dev.onerec4j.engine.eval.Ranker;
import dev.onerec4j.engine.model.DropoutStream;
import dev.onerec4j.engine.model.OneRecModel;
import dev.onerec4j.engine.sample.ContextBatch;
import dev.onerec4j.engine.sample.ContextBatchBuilder;
import dev.onerec4j.engine.tokenizer.SemanticIds;
import dev.onerec4j.tensors.Tensor;
import dev.onerec4j.tensors.nn.MixtureOfExperts;
import dev.onerec4j.tensors.nn.Module;

import java.util.List;

/**
 * Trains a OneRec model on (user, target position) examples: the inputs come from the history before the target,
 * the loss is next-token cross-entropy over the target item's semantic ID.
 */
public final class GenerativeTask implements TrainingTask {

    private final OneRecModel model;
    private final ContextBatchBuilder builder;
    private final Examples train;
    private final Histories histories;
    private final SemanticIds sids;
    private final double labelSmoothing;
    private final int beamWidth;

    public GenerativeTask(OneRecModel model, ContextBatchBuilder builder, Examples train, double labelSmoothing,
                          int beamWidth) {
        this.model = model;
        this.builder = builder;
        this.train = train;
        this.histories = train.histories();
        this.sids = model.semanticIds();
        this.labelSmoothing = labelSmoothing;
        this.beamWidth = beamWidth;
    }

    @Override
    public Module model() {
        return model;
    }

    public OneRecModel oneRec() {
        return model;
    }

    @Override
    public int exampleCount() {
        return train.size();
    }

    @Override
    public Tensor loss(int[] examples, DropoutStream drop) {
        int n = examples.length;
        int levels = sids.levels();
        int[] users = new int[n];
        int[] positions = new int[n];
        int[] targets = new int[n * levels];
        for (int i = 0; i < n; i++) {
            int e = examples[i];
            users[i] = train.user(e);
            positions[i] = train.position(e);
            int item = train.targetItem(e);
            for (int l = 0; l < levels; l++) {
                targets[i * levels + l] = sids.token(item, l);
            }
        }
        ContextBatch batch = builder.build(users, positions);
        return model.loss(batch, targets, labelSmoothing, drop);
    }

    @Override
    public double dropout() {
        return model.config().dropout;
    }

    @Override
    public double tokensPerExample() {
        return sids.levels();
    }

    @Override
    public long trainingFlopsPerExample() {
        return model.flops(model.embedder().maxTokens()).training();
    }

    @Override
    public Ranker ranker() {
        return new GenerativeRanker(model, builder, histories, beamWidth);
    }

    @Override
    public List<MixtureOfExperts> moeLayers() {
        return model.moeLayers();
    }
}
