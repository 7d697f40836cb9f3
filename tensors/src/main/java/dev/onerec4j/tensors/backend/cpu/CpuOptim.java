package dev.onerec4j.tensors.backend.cpu;

import dev.onerec4j.tensors.Tensor;

/** Fused optimizer updates. */
final class CpuOptim {

    private CpuOptim() {
    }

    static void adamw(Tensor param, Tensor grad, Tensor m, Tensor v, double lr, double beta1, double beta2, double eps,
                      double weightDecay, double bias1, double bias2) {
        throw new UnsupportedOperationException("adamw: not implemented yet");
    }
}
