package dev.onerec4j.kernels;

/**
 * Element-wise binary operations {@code out = f(a, b)}. The {@code *_GRAD} entries fuse the backward of an
 * activation: {@code a} is the activation's input (or output where noted) and {@code b} the incoming gradient.
 */
public enum BinaryOp {
    ADD,
    SUB,
    MUL,
    DIV,
    MAX,
    MIN,
    /** a raised to the power b. */
    POW,
    /** 1 where a == b, else 0. */
    EQ,
    /** 1 where a > b, else 0. */
    GT,
    /** silu(a) * b: the SwiGLU gate. */
    SWIGLU,
    /** b * silu'(a). */
    SILU_GRAD,
    /** b * relu'(a). */
    RELU_GRAD,
    /** b * gelu'(a) (tanh approximation). */
    GELU_GRAD,
    /** b * (1 - a^2), with a = tanh(x). */
    TANH_GRAD,
    /** b * a * (1 - a), with a = sigmoid(x). */
    SIGMOID_GRAD
}
