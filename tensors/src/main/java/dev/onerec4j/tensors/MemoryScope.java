package dev.onerec4j.tensors;

import java.util.ArrayList;
import java.util.List;

/**
 * Explicit ownership of tensor memory. Every tensor's storage belongs to one scope and is released, all at once,
 * when the scope closes: a training step or a request opens a scope, everything it allocates (activations,
 * saved tensors, temporary gradients) goes back to the caching allocator at {@code close()}, and memory stays
 * flat across steps.
 *
 * <p>Scopes opened with {@link #open(String)} form a per-thread stack: new tensors go to the innermost open scope
 * of the creating thread, or to the process-wide {@link #global()} scope when none is open. Long-lived tensors
 * (model parameters and their gradients) live in a scope created with {@link #owned(String)}, which is never
 * made current and is closed by its owner.
 */
public final class MemoryScope implements AutoCloseable {

    private static final ThreadLocal<MemoryScope> CURRENT = new ThreadLocal<>();
    private static final MemoryScope GLOBAL = new MemoryScope("global", null, false);

    private final String name;
    private final MemoryScope parent;
    private final boolean pushed;
    private final List<Storage> storages = new ArrayList<>();
    private boolean closed;

    private MemoryScope(String name, MemoryScope parent, boolean pushed) {
        this.name = name;
        this.parent = parent;
        this.pushed = pushed;
    }

    /** The scope that lives as long as the process; it is never closed. */
    public static MemoryScope global() {
        return GLOBAL;
    }

    /** Opens a scope and makes it the current thread's allocation target until it is closed. */
    public static MemoryScope open(String name) {
        MemoryScope scope = new MemoryScope(name, CURRENT.get(), true);
        CURRENT.set(scope);
        return scope;
    }

    /** Creates a scope that is not made current: its owner allocates into it explicitly and closes it. */
    public static MemoryScope owned(String name) {
        return new MemoryScope(name, null, false);
    }

    /** The innermost scope opened on this thread, or the global scope. */
    public static MemoryScope current() {
        MemoryScope s = CURRENT.get();
        return s == null ? GLOBAL : s;
    }

    /**
     * Runs {@code body} with {@code scope} as the current thread's allocation target, for code that must create
     * long-lived tensors (a model's parameters) from inside a short-lived scope.
     */
    public static <T> T within(MemoryScope scope, java.util.function.Supplier<T> body) {
        MemoryScope previous = CURRENT.get();
        CURRENT.set(scope == GLOBAL ? null : scope);
        try {
            return body.get();
        } finally {
            CURRENT.set(previous);
        }
    }

    public String name() {
        return name;
    }

    public synchronized boolean isClosed() {
        return closed;
    }

    /** Allocates {@code bytes} of memory on {@code device}, owned by this scope. */
    public Storage allocate(Device device, long bytes) {
        Storage.Allocator allocator = Allocators.forDevice(device);
        Storage s = allocator.allocate(bytes, this);
        if (this != GLOBAL) {
            synchronized (this) {
                if (closed) {
                    allocator.free(s);
                    throw new IllegalStateException("memory scope '" + name + "' is closed: cannot allocate in it");
                }
                storages.add(s);
            }
        }
        return s;
    }

    /**
     * Makes externally provided CPU memory (e.g. a memory-mapped file) a storage owned by this scope;
     * {@code releaser.free} is called when the scope closes.
     */
    public Storage adopt(java.lang.foreign.MemorySegment segment, Storage.Allocator releaser) {
        Storage s = new Storage(segment, segment.byteSize(), this, releaser);
        if (this != GLOBAL) {
            synchronized (this) {
                if (closed) {
                    throw new IllegalStateException("memory scope '" + name + "' is closed: cannot adopt memory into it");
                }
                storages.add(s);
            }
        }
        return s;
    }

    /** Number of storages this scope currently owns (for memory tests and diagnostics). */
    public synchronized int storageCount() {
        return storages.size();
    }

    /**
     * Releases every storage of this scope. A scope opened on this thread must be the innermost one; closing it
     * makes its parent current again.
     */
    @Override
    public void close() {
        if (this == GLOBAL) {
            throw new IllegalStateException("the global memory scope cannot be closed");
        }
        List<Storage> toRelease;
        synchronized (this) {
            if (closed) {
                return;
            }
            if (pushed && CURRENT.get() != this) {
                throw new IllegalStateException("memory scope '" + name
                        + "' closed out of order or from another thread: close inner scopes first");
            }
            closed = true;
            toRelease = new ArrayList<>(storages);
            storages.clear();
        }
        if (pushed) {
            CURRENT.set(parent);
        }
        for (Storage s : toRelease) {
            s.release();
        }
    }
}
