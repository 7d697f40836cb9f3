package dev.onerec4j.tensors.backend;

import dev.onerec4j.tensors.Device;
import dev.onerec4j.tensors.backend.cpu.CpuBackend;

/** The backend of each device. The CPU backend is always there; the CUDA backend registers itself when loaded. */
public final class Backends {

    private static volatile Backend[] byDevice = initial();

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
        if (b == null) {
            throw new IllegalStateException("no backend is loaded for device " + device
                    + (device == Device.CUDA ? ": CUDA is not available on this machine (libcuda could not be loaded)" : ""));
        }
        return b;
    }

    public static Backend cpu() {
        return CpuBackend.INSTANCE;
    }
}
