package dev.onerec4j.tensors.backend.cuda;

import dev.onerec4j.kernels.cuda.CudaContext;
import dev.onerec4j.kernels.cuda.CudaDriver;
import dev.onerec4j.kernels.cuda.CudaException;
import dev.onerec4j.kernels.cuda.KernelArgs;
import dev.onerec4j.kernels.cuda.LaunchConfig;
import dev.onerec4j.tensors.DType;
import dev.onerec4j.tensors.Device;
import dev.onerec4j.tensors.MemoryScope;
import dev.onerec4j.tensors.Tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * What every CUDA primitive needs: the context (device, stream, kernels), the caching allocator, and the device
 * error word through which kernels report bad input (an out-of-range index, a target outside the vocabulary).
 * Kernels run asynchronously, so such an error surfaces at the next synchronisation (a copy to the host or
 * {@link #synchronize()}) as an exception that names what was wrong.
 */
final class CudaRuntime {

    private final CudaContext context;
    private final CudaAllocator allocator;
    private final long errorWord;
    private final MemorySegment errorHost = Arena.ofAuto().allocate(16, 16);

    CudaRuntime(CudaContext context) {
        this.context = context;
        CudaDriver d = context.driver();
        this.allocator = new CudaAllocator(new DriverMemory(context), Long.getLong("onerec4j.cudaCacheBytes", Long.MAX_VALUE));
        this.errorWord = d.memAlloc(16);
        d.memsetD32(errorWord, 0, 4, context.stream());
        context.synchronize();
    }

    CudaContext context() {
        return context;
    }

    CudaAllocator allocator() {
        return allocator;
    }

    long errorWord() {
        return errorWord;
    }

    /** Launches a kernel on the stream. */
    void launch(String module, String kernel, LaunchConfig config, KernelArgs args) {
        context.launch(module, kernel, config, args);
    }

    /** Waits for the stream, then throws the first error a kernel reported since the last check. */
    void synchronize() {
        context.synchronize();
        checkErrors();
    }

    private void checkErrors() {
        CudaDriver d = context.driver();
        d.copyDeviceToHost(errorHost, errorWord, 16, context.stream());
        context.synchronize();
        int code = errorHost.get(ValueLayout.JAVA_INT, 0);
        if (code == 0) {
            return;
        }
        int a = errorHost.get(ValueLayout.JAVA_INT, 4);
        int b = errorHost.get(ValueLayout.JAVA_INT, 8);
        int c = errorHost.get(ValueLayout.JAVA_INT, 12);
        d.memsetD32(errorWord, 0, 4, context.stream());
        context.synchronize();
        throw new IllegalArgumentException(DeviceErrors.describe(code, a, b, c));
    }

    /** The device address of {@code t}'s storage (its first element is at {@code t.offset()} elements from here). */
    static long base(Tensor t) {
        requireCuda(t);
        return t.storage().devicePointer();
    }

    /** The device address of {@code t}'s first element. */
    static long ptr(Tensor t) {
        requireCuda(t);
        return t.storage().devicePointer() + t.byteOffset();
    }

    /** {@link #ptr} or 0 for null (an optional operand). */
    static long ptrOrNull(Tensor t) {
        return t == null ? 0L : ptr(t);
    }

    static void requireCuda(Tensor t) {
        if (t.device() != Device.CUDA) {
            throw new IllegalArgumentException("operand of shape " + java.util.Arrays.toString(t.shape()) + " is on "
                    + t.device() + ": the CUDA backend computes on CUDA tensors (move it with to(Device.CUDA))");
        }
    }

    /** An uninitialised contiguous device tensor owned by {@code scope} (temporaries of one primitive). */
    static Tensor temp(MemoryScope scope, DType dtype, int... shape) {
        return Tensor.empty(dtype, Device.CUDA, scope, shape);
    }

    /** The driver as {@link DeviceMemory}, mapping out-of-memory to the allocator's retry signal. */
    private record DriverMemory(CudaContext context) implements DeviceMemory {
        @Override
        public long allocate(long bytes) {
            context.makeCurrent();
            try {
                return context.driver().memAlloc(bytes);
            } catch (CudaException e) {
                if (e.code() == 2) {
                    throw new OutOfDeviceMemoryException(e.getMessage(), e);
                }
                throw e;
            }
        }

        @Override
        public void free(long pointer) {
            context.makeCurrent();
            context.driver().memFree(pointer);
        }
    }
}
