package dev.onerec4j.tensors.backend.cuda;

import dev.onerec4j.kernels.cuda.Cuda;
import dev.onerec4j.tensors.DType;
import dev.onerec4j.tensors.Device;
import dev.onerec4j.tensors.Tensor;
import org.junit.jupiter.api.Assumptions;

/** Shared helpers of the GPU tests: skip without CUDA, move data, build random inputs. */
final class CudaTestSupport {

    private CudaTestSupport() {
    }

    /** The backend, or a skipped test (not a failure) when this machine has no usable GPU. */
    static CudaBackend backend() {
        Assumptions.assumeTrue(Cuda.isAvailable(), () -> "CUDA is not available: " + Cuda.unavailableReason());
        return CudaBackend.get();
    }

    static Tensor cuda(Tensor cpu) {
        return cpu.to(Device.CUDA);
    }

    static Tensor randn(long seed, int... shape) {
        return Tensor.randn(DType.F32, seed, 1.0, shape);
    }

    static Tensor empty(DType dtype, int... shape) {
        return Tensor.empty(dtype, Device.CUDA, dev.onerec4j.tensors.MemoryScope.current(), shape);
    }

    /** A device tensor filled with NaN, so an element the kernel fails to write cannot pass as correct. */
    static Tensor poisoned(int... shape) {
        Tensor t = empty(DType.F32, shape);
        t.fill(Double.NaN);
        return t;
    }

    static Tensor ints(int[] values, int... shape) {
        return cuda(Tensor.ofInts(values, shape));
    }
}
