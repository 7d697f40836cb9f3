package dev.onerec4j.engine.train;

import dev.onerec4j.engine.eval.Ranker;
import dev.onerec4j.engine.model.DropoutStream;
import dev.onerec4j.tensors.Tensor;
import dev.onerec4j.tensors.nn.MixtureOfExperts;
import dev.onerec4j.tensors.nn.Module;

import java.util.List;

/** What the {@link Trainer} trains: a model, its training examples and its loss on a batch of them. */
public interface TrainingTask {

    Module model();

    /** Training examples per epoch. */
    int exampleCount();

    /** Mean loss over the given training examples (builds their batch). */
    Tensor loss(int[] examples, DropoutStream drop);

    /** The model's dropout probability. */
    double dropout();

    /** Target tokens per example (3 SID tokens for OneRec; the sequence positions for SASRec). */
    double tokensPerExample();

    /** Analytic training FLOPs (forward and backward) per example. */
    long trainingFlopsPerExample();

    /** Ranks for validation and evaluation with the model's current parameters. */
    Ranker ranker();

    /** MoE layers whose balance is updated after every optimizer step (empty for dense models). */
    default List<MixtureOfExperts> moeLayers() {
        return List.of();
    }
}
