package dev.onerec4j.tensors;

import java.lang.foreign.MemorySegment;

/**
 * A block of memory holding a tensor's elements, owned by one {@link MemoryScope}. Views share a storage.
 * Once the owning scope closes, the storage is released and any use of it fails with a clear message instead of
 * reading memory that may already hold another tensor.
 */
public final class Storage {

    private final Device device;
    private final MemorySegment segment;
    private final long devicePointer;
    private final long bytes;
    private final MemoryScope owner;
    private final Allocator allocator;
    private volatile boolean released;

    /** Allocates and frees blocks for one device; the scope returns blocks to it when it closes. */
    public interface Allocator {
        Storage allocate(long bytes, MemoryScope owner);

        void free(Storage storage);
    }

    /** A CPU storage over {@code segment}. */
    public Storage(MemorySegment segment, long bytes, MemoryScope owner, Allocator allocator) {
        this(Device.CPU, segment, 0L, bytes, owner, allocator);
    }

    /** A storage on {@code device}; {@code segment} is the CPU memory (null elsewhere), {@code devicePointer} the device address. */
    public Storage(Device device, MemorySegment segment, long devicePointer, long bytes, MemoryScope owner, Allocator allocator) {
        this.device = device;
        this.segment = segment;
        this.devicePointer = devicePointer;
        this.bytes = bytes;
        this.owner = owner;
        this.allocator = allocator;
    }

    public Device device() {
        return device;
    }

    /** The CPU memory; fails if the storage was released or lives on another device. */
    public MemorySegment segment() {
        checkAlive();
        if (segment == null) {
            throw new IllegalStateException("storage lives on " + device + ", not in CPU memory: copy it to the CPU first");
        }
        return segment;
    }

    /** The device address of a non-CPU storage. */
    public long devicePointer() {
        checkAlive();
        return devicePointer;
    }

    MemorySegment segmentUnchecked() {
        return segment;
    }

    public long bytes() {
        return bytes;
    }

    public MemoryScope owner() {
        return owner;
    }

    public boolean isReleased() {
        return released;
    }

    public void checkAlive() {
        if (released) {
            throw new IllegalStateException("tensor used after its memory scope '" + owner.name()
                    + "' was closed: keep it in a longer-lived scope or copy it out before closing");
        }
    }

    void release() {
        if (!released) {
            released = true;
            allocator.free(this);
        }
    }
}
