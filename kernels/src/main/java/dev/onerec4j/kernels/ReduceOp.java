package dev.onerec4j.kernels;

/** Reductions over one axis. */
public enum ReduceOp {
    SUM,
    MAX,
    MIN
}
