package dev.onerec4j.kernels.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A small per-thread native buffer for the out-parameters of library calls (a handle, a size, a float), so the
 * calls on hot paths do not allocate. Each call uses it only between its own start and return.
 */
final class Scratch {

    private static final ThreadLocal<MemorySegment> BUFFER =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(256, 16));

    private Scratch() {
    }

    static MemorySegment get() {
        return BUFFER.get();
    }
}
