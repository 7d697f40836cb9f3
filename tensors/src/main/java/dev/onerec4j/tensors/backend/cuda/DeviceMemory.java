package dev.onerec4j.tensors.backend.cuda;

/** Raw device memory as the caching allocator sees it (the CUDA driver in production, a fake in tests). */
public interface DeviceMemory {

    /** Allocates {@code bytes}; throws {@link OutOfDeviceMemoryException} when the device is full. */
    long allocate(long bytes);

    void free(long pointer);

    /** Thrown by {@link #allocate} when the device has no room, so the allocator can empty its cache and retry. */
    final class OutOfDeviceMemoryException extends RuntimeException {
        public OutOfDeviceMemoryException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
