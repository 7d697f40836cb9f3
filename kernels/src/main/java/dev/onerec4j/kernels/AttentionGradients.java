package dev.onerec4j.kernels;

/**
 * The gradient operands of an attention backward pass: the incoming output gradient
 * {@code gradOut [b, hq, tq, dv]} and the gradients it produces, {@code gradQ [b, hq, tq, d]},
 * {@code gradK [b, hkv, tk, d]}, {@code gradV [b, hkv, tk, dv]}, which the kernels overwrite.
 */
public record AttentionGradients(AttentionOperand gradOut, AttentionOperand gradQ, AttentionOperand gradK,
                                 AttentionOperand gradV) {
}
