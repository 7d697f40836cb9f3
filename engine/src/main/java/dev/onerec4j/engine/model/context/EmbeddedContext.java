package dev.onerec4j.engine.model.context;

import dev.onerec4j.tensors.Tensor;

/** The context as a token sequence: {@code tokens [batch, time, dim]} and an I32 key mask {@code [batch, time]}. */
public record EmbeddedContext(Tensor tokens, Tensor mask) {

    public int batch() {
        return tokens.dim(0);
    }

    public int length() {
        return tokens.dim(1);
    }
}
