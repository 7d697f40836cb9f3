package dev.onerec4j.tensors.backend.cuda;

import dev.onerec4j.kernels.cuda.Cuda;
import dev.onerec4j.tensors.DType;
import dev.onerec4j.tensors.Device;
import dev.onerec4j.tensors.Tensor;
import dev.onerec4j.tensors.backend.Backends;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Asking for CUDA where there is none gives one clear error, and CPU work is unaffected. */
class CudaUnavailableTest {

    @Test
    void requestingCudaExplainsWhyItIsMissing() {
        Assumptions.assumeFalse(Cuda.isAvailable(), "a GPU is present");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Backends.of(Device.CUDA));
        assertTrue(e.getMessage().contains("CUDA"), e.getMessage());
        assertTrue(e.getMessage().contains(Cuda.unavailableReason()), e.getMessage());
        Tensor cpu = Tensor.ones(DType.F32, 3);
        IllegalStateException moved = assertThrows(IllegalStateException.class, () -> cpu.to(Device.CUDA));
        assertTrue(moved.getMessage().contains("CUDA"), moved.getMessage());
        assertTrue(Backends.of(Device.CPU) != null);
    }
}
