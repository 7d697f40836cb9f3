package dev.onerec4j.tensors.optim;

import dev.onerec4j.tensors.Tensor;

import java.util.Map;

/** Updates parameters from their accumulated gradients. State is exposed for checkpoints and exact resume. */
public interface Optimizer {

    /** Applies one update with learning rate {@code lr} to every parameter that has a gradient. */
    void step(double lr);

    /** Number of updates applied so far. */
    long steps();

    /** Zeroes the gradients of the managed parameters. */
    void zeroGrad();

    /** The optimizer's tensors (e.g. Adam moments) by name, for saving; includes nothing for stateless optimizers. */
    Map<String, Tensor> stateTensors();

    /** Restores {@link #stateTensors()} contents and the step count from a checkpoint. */
    void loadState(Map<String, Tensor> tensors, long steps);
}
