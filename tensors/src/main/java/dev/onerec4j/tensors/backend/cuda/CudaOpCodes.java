package dev.onerec4j.tensors.backend.cuda;

import dev.onerec4j.kernels.BinaryOp;
import dev.onerec4j.kernels.ReduceOp;
import dev.onerec4j.kernels.UnaryOp;

/**
 * The op codes the kernels switch on ({@code B_*}, {@code U_*}, {@code OP_*} in the .cu sources). Spelled out
 * rather than taken from {@code ordinal()}, so reordering an enum cannot silently change what a kernel computes;
 * the switches are exhaustive, so a new op fails to compile here until it gets a code and a kernel case.
 */
final class CudaOpCodes {

    private CudaOpCodes() {
    }

    static int binary(BinaryOp op) {
        return switch (op) {
            case ADD -> 0;
            case SUB -> 1;
            case MUL -> 2;
            case DIV -> 3;
            case MAX -> 4;
            case MIN -> 5;
            case POW -> 6;
            case EQ -> 7;
            case GT -> 8;
            case SWIGLU -> 9;
            case SILU_GRAD -> 10;
            case RELU_GRAD -> 11;
            case GELU_GRAD -> 12;
            case TANH_GRAD -> 13;
            case SIGMOID_GRAD -> 14;
        };
    }

    static int unary(UnaryOp op) {
        return switch (op) {
            case NEG -> 0;
            case EXP -> 1;
            case LOG -> 2;
            case SQRT -> 3;
            case ABS -> 4;
            case SQUARE -> 5;
            case RECIPROCAL -> 6;
            case SIGMOID -> 7;
            case TANH -> 8;
            case RELU -> 9;
            case SILU -> 10;
            case GELU -> 11;
            case SIGN -> 12;
        };
    }

    static int reduce(ReduceOp op) {
        return switch (op) {
            case SUM -> 0;
            case MAX -> 1;
            case MIN -> 2;
        };
    }
}
