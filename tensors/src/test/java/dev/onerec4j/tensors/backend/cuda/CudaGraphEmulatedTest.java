package dev.onerec4j.tensors.backend.cuda;

import dev.onerec4j.kernels.BinaryOp;
import dev.onerec4j.kernels.cuda.CudaGraph;
import dev.onerec4j.tensors.DType;
import dev.onerec4j.tensors.MemoryScope;
import dev.onerec4j.tensors.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** A captured CUDA graph replays its kernels on the current contents of its buffers. Needs a GPU (or the emulator). */
class CudaGraphEmulatedTest {

    @Test
    void aCapturedStepReplays() {
        CudaBackend be = CudaTestSupport.backend();
        try (MemoryScope s = MemoryScope.open("graph")) {
            Tensor x = CudaTestSupport.cuda(Tensor.of(new float[] {1, 2, 3}, 3));
            Tensor one = CudaTestSupport.cuda(Tensor.ones(DType.F32, 3));
            try (CudaGraph g = CudaGraph.capture(be.context(), () -> be.binary(BinaryOp.ADD, x, one, x))) {
                assertArrayEquals(new float[] {1, 2, 3}, x.toFloatArray(), "capture does not run the work");
                g.launch();
                g.launch();
                assertArrayEquals(new float[] {3, 4, 5}, x.toFloatArray());
            }
        }
    }
}
