package dev.onerec4j.engine.model.decoder;

import dev.onerec4j.tensors.Tensor;
import dev.onerec4j.tensors.nn.MultiHeadAttention.KeyValues;

/**
 * What the decoder cross-attends to: per decoder layer, the context's keys and values
 * {@code [requests, kvHeads, time, headDim]} (V2 layers of one group share the same object), and the context's
 * I32 key mask {@code [requests, time]}. Computed once per request; every beam of a request reads the same
 * tensors.
 */
public record CrossContext(KeyValues[] perLayer, Tensor mask) {

    public int requests() {
        return mask.dim(0);
    }
}
