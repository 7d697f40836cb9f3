package dev.onerec4j.tensors.backend.cuda;

import dev.onerec4j.kernels.cuda.CudaException;
import dev.onerec4j.tensors.backend.Backend;

/**
 * The one entry point {@code Backends} calls, and only when CUDA is asked for: CPU-only runs never load this
 * class, so they never touch an FFM symbol of the CUDA stack.
 */
public final class CudaBackendLoader {

    private CudaBackendLoader() {
    }

    /** The CUDA backend, or an exception whose message says why CUDA cannot be used here. */
    public static Backend load() {
        try {
            return CudaBackend.get();
        } catch (CudaException | LinkageError e) {
            throw new IllegalStateException("no backend is loaded for device CUDA: " + e.getMessage(), e);
        }
    }
}
