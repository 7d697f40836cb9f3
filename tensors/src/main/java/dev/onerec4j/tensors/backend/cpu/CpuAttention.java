package dev.onerec4j.tensors.backend.cpu;

import dev.onerec4j.tensors.Tensor;

/** Fused, block-wise scaled dot-product attention. */
final class CpuAttention {

    private CpuAttention() {
    }

    static void forward(Tensor q, Tensor k, Tensor v, Tensor keyMask, boolean causal, double scale, Tensor out, Tensor lse) {
        throw new UnsupportedOperationException("attention: not implemented yet");
    }

    static void backward(Tensor q, Tensor k, Tensor v, Tensor keyMask, boolean causal, double scale, Tensor out,
                         Tensor lse, Tensor gradOut, Tensor gradQ, Tensor gradK, Tensor gradV) {
        throw new UnsupportedOperationException("attentionBackward: not implemented yet");
    }
}
