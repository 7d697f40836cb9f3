package dev.onerec4j.tensors;

import java.util.EnumMap;
import java.util.Map;

/** The allocator of each device. The CUDA backend registers its own when it is first used. */
public final class Allocators {

    private static final Map<Device, Storage.Allocator> BY_DEVICE = new EnumMap<>(Device.class);

    static {
        BY_DEVICE.put(Device.CPU, CpuAllocator.INSTANCE);
    }

    private Allocators() {
    }

    public static synchronized void register(Device device, Storage.Allocator allocator) {
        BY_DEVICE.put(device, allocator);
    }

    static Storage.Allocator forDevice(Device device) {
        synchronized (Allocators.class) {
            Storage.Allocator a = BY_DEVICE.get(device);
            if (a != null) {
                return a;
            }
        }
        if (device != Device.CPU) {
            // Loading a device's backend registers its allocator (or throws with the reason it cannot load).
            dev.onerec4j.tensors.backend.Backends.of(device);
        }
        return registered(device);
    }

    private static synchronized Storage.Allocator registered(Device device) {
        Storage.Allocator a = BY_DEVICE.get(device);
        if (a == null) {
            throw new IllegalStateException("no backend for device " + device
                    + " is loaded: " + (device == Device.CUDA ? "CUDA could not be initialised on this machine" : "unknown device"));
        }
        return a;
    }
}
