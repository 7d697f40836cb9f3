package dev.onerec4j.tensors.backend.cpu;

import dev.onerec4j.tensors.Tensor;

/** Softmax, RMSNorm and cross-entropy primitives. */
final class CpuNn {

    private CpuNn() {
    }

    static void softmax(Tensor x, Tensor out, boolean log) {
        throw new UnsupportedOperationException("softmax: not implemented yet");
    }

    static void softmaxBackward(Tensor y, Tensor gradY, Tensor gradX, boolean log) {
        throw new UnsupportedOperationException("softmaxBackward: not implemented yet");
    }

    static void rmsNorm(Tensor x, Tensor weight, double eps, Tensor out, Tensor rstd) {
        throw new UnsupportedOperationException("rmsNorm: not implemented yet");
    }

    static void rmsNormBackward(Tensor x, Tensor weight, Tensor rstd, Tensor gradOut, Tensor gradX, Tensor gradWeight) {
        throw new UnsupportedOperationException("rmsNormBackward: not implemented yet");
    }

    static void crossEntropy(Tensor logits, Tensor targets, int ignoreIndex, double smoothing, Tensor loss, Tensor gradLogits) {
        throw new UnsupportedOperationException("crossEntropy: not implemented yet");
    }
}
