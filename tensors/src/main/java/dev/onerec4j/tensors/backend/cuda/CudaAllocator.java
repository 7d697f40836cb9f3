package dev.onerec4j.tensors.backend.cuda;

import dev.onerec4j.tensors.Device;
import dev.onerec4j.tensors.MemoryScope;
import dev.onerec4j.tensors.Storage;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Caching allocator for device memory. {@code cuMemAlloc}/{@code cuMemFree} synchronise the device and cost tens
 * of microseconds, so a released block goes back on the free list of its size class and the next request of
 * that class reuses it at once. Reuse without waiting is safe because all device work runs on one stream (see
 * {@code CudaContext}): a kernel that reads the block's previous contents is ordered before any kernel of its
 * next owner. When the device is full the cache is emptied and the allocation retried once.
 *
 * <p>Size classes: at least 512 bytes (the alignment cuBLASLt and vector loads like), powers of two up to
 * 1 MiB, then eight classes per doubling (at most 12.5% slack on large tensors). With
 * {@code -Donerec4j.cuda.exactAllocations=true} every block has exactly the requested size (rounded to 16
 * bytes), so a memory checker (compute-sanitizer, or the CUDA emulator under AddressSanitizer) sees an
 * out-of-bounds access at the tensor's end rather than inside the padding of its size class.
 */
public final class CudaAllocator implements Storage.Allocator {

    static final long MIN_BLOCK = 512;
    static final long POW2_LIMIT = 1L << 20;

    private final DeviceMemory memory;
    private final long cacheLimit;
    private final boolean exact;
    private final Map<Long, ArrayDeque<Long>> free = new HashMap<>();
    // Storage clears its pointer accessor once released, so the allocator remembers each live block itself.
    private final Map<Storage, Long> live = new java.util.IdentityHashMap<>();
    private long cachedBytes;
    private long liveBytes;
    private long peakLiveBytes;
    private long deviceAllocations;
    private long deviceFrees;

    public CudaAllocator(DeviceMemory memory, long cacheLimit) {
        this(memory, cacheLimit, Boolean.getBoolean("onerec4j.cuda.exactAllocations"));
    }

    CudaAllocator(DeviceMemory memory, long cacheLimit, boolean exact) {
        this.memory = memory;
        this.cacheLimit = cacheLimit;
        this.exact = exact;
    }

    private long blockSize(long bytes) {
        return exact ? Math.max(16, (bytes + 15) / 16 * 16) : sizeClass(bytes);
    }

    /** The block size serving a request of {@code bytes}. */
    public static long sizeClass(long bytes) {
        long b = Math.max(bytes, MIN_BLOCK);
        if (b <= POW2_LIMIT) {
            return Long.highestOneBit(b - 1) << 1;
        }
        long step = Long.highestOneBit(b - 1) / 8;
        return (b + step - 1) / step * step;
    }

    @Override
    public Storage allocate(long bytes, MemoryScope owner) {
        long size = blockSize(bytes);
        Long block;
        synchronized (this) {
            ArrayDeque<Long> q = free.get(size);
            block = q == null ? null : q.pollFirst();
            if (block != null) {
                cachedBytes -= size;
                liveBytes += size;
                peakLiveBytes = Math.max(peakLiveBytes, liveBytes);
            }
        }
        if (block == null) {
            block = allocateFresh(size);
        }
        Storage s = new Storage(Device.CUDA, null, block, bytes, owner, this);
        synchronized (this) {
            live.put(s, block);
        }
        return s;
    }

    private long allocateFresh(long size) {
        long p;
        try {
            p = memory.allocate(size);
        } catch (DeviceMemory.OutOfDeviceMemoryException e) {
            emptyCache();
            p = memory.allocate(size);
        }
        synchronized (this) {
            deviceAllocations++;
            liveBytes += size;
            peakLiveBytes = Math.max(peakLiveBytes, liveBytes);
        }
        return p;
    }

    @Override
    public void free(Storage storage) {
        long size = blockSize(storage.bytes());
        long pointer;
        boolean release;
        synchronized (this) {
            Long p = live.remove(storage);
            if (p == null) {
                throw new IllegalStateException("CUDA storage freed twice or not allocated here");
            }
            pointer = p;
            liveBytes -= size;
            release = cachedBytes + size > cacheLimit;
            if (!release) {
                free.computeIfAbsent(size, k -> new ArrayDeque<>()).addFirst(pointer);
                cachedBytes += size;
            } else {
                deviceFrees++;
            }
        }
        if (release) {
            memory.free(pointer);
        }
    }

    /** Returns every cached block to the device. */
    public void emptyCache() {
        java.util.List<Long> toFree = new java.util.ArrayList<>();
        synchronized (this) {
            for (ArrayDeque<Long> q : free.values()) {
                toFree.addAll(q);
            }
            free.clear();
            cachedBytes = 0;
            deviceFrees += toFree.size();
        }
        for (long p : toFree) {
            memory.free(p);
        }
    }

    /** Live, peak and cached bytes and the number of device allocations and frees so far. */
    public synchronized Stats stats() {
        return new Stats(liveBytes, peakLiveBytes, cachedBytes, deviceAllocations, deviceFrees);
    }

    public record Stats(long liveBytes, long peakLiveBytes, long cachedBytes, long deviceAllocations, long deviceFrees) {
    }
}
