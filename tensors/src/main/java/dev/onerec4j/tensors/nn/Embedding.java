package dev.onerec4j.tensors.nn;

import dev.onerec4j.tensors.Tensor;
import dev.onerec4j.tensors.ops.Indexing;

/** A lookup table {@code [count, dim]}; its gradient accumulates only into the rows that were looked up. */
public final class Embedding extends Module {

    private final Tensor weight;

    public Embedding(Init init, int count, int dim, double std) {
        if (count <= 0 || dim <= 0) {
            throw new IllegalArgumentException("Embedding needs positive sizes, got count=" + count + ", dim=" + dim);
        }
        this.weight = parameter("weight", init.normal(std, count, dim));
    }

    /** Rows for I32 {@code indices [...]}: {@code [..., dim]}. */
    public Tensor forward(Tensor indices) {
        return Indexing.embedding(weight, indices);
    }

    public Tensor weight() {
        return weight;
    }

    public int count() {
        return weight.dim(0);
    }

    public int dim() {
        return weight.dim(1);
    }
}
