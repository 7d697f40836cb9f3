package dev.onerec4j.tensors.backend.cpu;

import dev.onerec4j.tensors.Tensor;

/** Row gathers and scatters, top-k and dropout masks. */
final class CpuIndexing {

    private CpuIndexing() {
    }

    static void indexSelect(Tensor src, Tensor index, Tensor out) {
        throw new UnsupportedOperationException("indexSelect: not implemented yet");
    }

    static void indexAdd(Tensor dst, Tensor index, Tensor src) {
        throw new UnsupportedOperationException("indexAdd: not implemented yet");
    }

    static void gatherLast(Tensor src, Tensor index, Tensor out) {
        throw new UnsupportedOperationException("gatherLast: not implemented yet");
    }

    static void scatterAddLast(Tensor dst, Tensor index, Tensor src) {
        throw new UnsupportedOperationException("scatterAddLast: not implemented yet");
    }

    static void topK(Tensor x, int k, Tensor values, Tensor indices) {
        throw new UnsupportedOperationException("topK: not implemented yet");
    }

    static void dropoutMask(Tensor mask, double p, long seed) {
        throw new UnsupportedOperationException("dropoutMask: not implemented yet");
    }
}
