package dev.onerec4j.tensors;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Caching allocator for CPU tensor memory. Blocks are 64-byte aligned (one AVX-512 register) and rounded up to
 * a size class; a released block goes back on its class's free list, so a training loop that opens a scope per
 * step reuses the same blocks every step and its memory stays flat. Blocks beyond the cache limit are dropped
 * and freed by the garbage collector (each block has its own automatic arena).
 */
final class CpuAllocator implements Storage.Allocator {

    static final CpuAllocator INSTANCE = new CpuAllocator(
            Long.getLong("onerec4j.cpuCacheBytes", 8L << 30));

    private static final long ALIGN = 64;

    private final long cacheLimit;
    private final Map<Long, ArrayDeque<MemorySegment>> free = new HashMap<>();
    private long cachedBytes;
    private long liveBytes;
    private long peakLiveBytes;
    private long freshAllocations;

    CpuAllocator(long cacheLimit) {
        this.cacheLimit = cacheLimit;
    }

    /** Rounds a request up to its size class: powers of two below 64 KiB, then four classes per doubling. */
    static long sizeClass(long bytes) {
        long b = Math.max(bytes, ALIGN);
        if (b <= 65536) {
            return Long.highestOneBit(b - 1) << 1;
        }
        long pow = Long.highestOneBit(b);
        long step = pow / 4;
        return (b + step - 1) / step * step;
    }

    @Override
    public Storage allocate(long bytes, MemoryScope owner) {
        long size = sizeClass(bytes);
        MemorySegment block;
        synchronized (this) {
            ArrayDeque<MemorySegment> q = free.get(size);
            block = q == null ? null : q.pollFirst();
            if (block != null) {
                cachedBytes -= size;
            } else {
                freshAllocations++;
            }
            liveBytes += size;
            peakLiveBytes = Math.max(peakLiveBytes, liveBytes);
        }
        if (block == null) {
            block = Arena.ofAuto().allocate(size, ALIGN);
        }
        return new Storage(block, bytes, owner, this);
    }

    @Override
    public void free(Storage storage) {
        MemorySegment block = storage.segmentUnchecked();
        long size = block.byteSize();
        synchronized (this) {
            liveBytes -= size;
            if (cachedBytes + size <= cacheLimit) {
                free.computeIfAbsent(size, k -> new ArrayDeque<>()).addFirst(block);
                cachedBytes += size;
            }
        }
    }

    synchronized MemoryStats stats() {
        return new MemoryStats(liveBytes, peakLiveBytes, cachedBytes, freshAllocations);
    }
}
