package dev.onerec4j.tensors.nn;

import dev.onerec4j.tensors.Tensor;
import dev.onerec4j.tensors.ops.Norms;

/** RMS normalisation over the last axis with a learned gain (initialised to 1). */
public final class RmsNorm extends Module {

    private final Tensor weight;
    private final double eps;

    public RmsNorm(Init init, int dim, double eps) {
        this.weight = parameter("weight", init.ones(dim));
        this.eps = eps;
    }

    public Tensor forward(Tensor x) {
        return Norms.rmsNorm(x, weight, eps);
    }

    public Tensor weight() {
        return weight;
    }
}
