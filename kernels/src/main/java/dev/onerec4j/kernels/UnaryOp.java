package dev.onerec4j.kernels;

/** Element-wise unary operations {@code out = f(a)}. */
public enum UnaryOp {
    NEG,
    EXP,
    LOG,
    SQRT,
    ABS,
    SQUARE,
    RECIPROCAL,
    SIGMOID,
    TANH,
    RELU,
    SILU,
    /** GELU, tanh approximation. */
    GELU,
    SIGN
}
