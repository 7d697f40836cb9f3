package dev.onerec4j.tensors.backend;

import dev.onerec4j.tensors.Device;
import dev.onerec4j.tensors.backend.cpu.CpuBackend;

/** The backend of each device. The CPU backend is always there; the CUDA backend is loaded when first asked for. */
public final class Backends {

    private static volatile Backend[] byDevice = initial();
    private static IllegalStateException cudaFailure;

    private Backends() {
    }

    private static Backend[] initial() {
        Backend[] b = new Backend[Device.values().length];
        b[Device.CPU.ordinal()] = CpuBackend.INSTANCE;
        return b;
    }

    public static synchronized void register(Backend backend) {
        Backend[] next = byDevice.clone();
        next[backend.device().ordinal()] = backend;
        byDevice = next;
    }

    public static Backend of(Device device) {
        Backend b = byDevice[device.ordinal()];
        if (b == null && device == Device.CUDA) {
            b = loadCuda();
        }
        if (b == null) {
            throw new IllegalStateException("no backend is loaded for device " + device);
        }
        return b;
    }

    /**
     * Loads the CUDA backend on first request. The loader class is only resolved here, so CPU-only runs never
     * load it or any CUDA binding; a failure (no driver, no GPU, no NVRTC) is remembered and rethrown with the
     * reason.
     */
    private static synchronized Backend loadCuda() {
        Backend b = byDevice[Device.CUDA.ordinal()];
        if (b != null) {
            return b;
        }
        if (cudaFailure != null) {
            throw cudaFailure;
        }
        try {
            b = dev.onerec4j.tensors.backend.cuda.CudaBackendLoader.load();
        } catch (IllegalStateException e) {
            cudaFailure = e;
            throw e;
        }
        register(b);
        return b;
    }

    public static Backend cpu() {
        return CpuBackend.INSTANCE;
    }
}
