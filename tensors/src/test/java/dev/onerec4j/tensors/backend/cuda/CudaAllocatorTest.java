package dev.onerec4j.tensors.backend.cuda;

import dev.onerec4j.tensors.Device;
import dev.onerec4j.tensors.MemoryScope;
import dev.onerec4j.tensors.Storage;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The caching allocator's bookkeeping against a fake device with a fixed capacity. */
class CudaAllocatorTest {

    /** Hands out addresses from a counter; fails when the live total would exceed the capacity. */
    private static final class FakeDevice implements DeviceMemory {
        final long capacity;
        long used;
        long next = 1 << 20;
        final java.util.Map<Long, Long> blocks = new java.util.HashMap<>();
        int allocations;
        int frees;

        FakeDevice(long capacity) {
            this.capacity = capacity;
        }

        @Override
        public long allocate(long bytes) {
            if (used + bytes > capacity) {
                throw new OutOfDeviceMemoryException("fake device full", null);
            }
            long p = next;
            next += bytes;
            used += bytes;
            blocks.put(p, bytes);
            allocations++;
            return p;
        }

        @Override
        public void free(long pointer) {
            Long b = blocks.remove(pointer);
            if (b == null) {
                throw new IllegalStateException("double free of " + pointer);
            }
            used -= b;
            frees++;
        }
    }

    @Test
    void sizeClassesRoundUpWithBoundedSlack() {
        assertEquals(512, CudaAllocator.sizeClass(1));
        assertEquals(512, CudaAllocator.sizeClass(512));
        assertEquals(1024, CudaAllocator.sizeClass(513));
        assertEquals(1 << 20, CudaAllocator.sizeClass((1 << 20) - 7));
        long prev = 0;
        for (long b = 1; b < (1L << 34); b = b * 3 / 2 + 1) {
            long c = CudaAllocator.sizeClass(b);
            assertTrue(c >= b, "class below request " + b);
            assertTrue(c % 512 == 0, "class not 512-aligned: " + c);
            if (b > (1 << 20)) {
                assertTrue(c <= b * 1.125 + 1, "more than 12.5% slack at " + b + ": " + c);
            }
            assertTrue(c >= prev);
            prev = c;
        }
    }

    @Test
    void exactModeAllocatesTheRequestedSize() {
        FakeDevice dev = new FakeDevice(1L << 30);
        CudaAllocator a = new CudaAllocator(dev, Long.MAX_VALUE, true);
        MemoryScope scope = MemoryScope.owned("exact");
        Storage s = a.allocate(1000, scope);
        assertEquals(1008, dev.used);
        a.free(s);
        assertEquals(1008, a.stats().cachedBytes());
        Storage t = a.allocate(1001, scope);
        assertEquals(s.devicePointer() == t.devicePointer(), true, "the same rounded size is reused");
    }

    @Test
    void reusesFreedBlocksOfTheSameClass() {
        FakeDevice dev = new FakeDevice(1L << 30);
        CudaAllocator a = new CudaAllocator(dev, Long.MAX_VALUE);
        MemoryScope scope = MemoryScope.owned("test");
        Storage s1 = a.allocate(1000, scope);
        long p1 = s1.devicePointer();
        assertEquals(Device.CUDA, s1.device());
        a.free(s1);
        Storage s2 = a.allocate(900, scope);
        assertEquals(p1, s2.devicePointer(), "a block of the same class is reused");
        Storage s3 = a.allocate(900, scope);
        assertNotEquals(p1, s3.devicePointer());
        assertEquals(2, dev.allocations);
        CudaAllocator.Stats st = a.stats();
        assertEquals(2048, st.liveBytes());
        assertEquals(0, st.cachedBytes());
        a.free(s2);
        a.free(s3);
        assertEquals(2048, a.stats().cachedBytes());
        assertEquals(2048, a.stats().peakLiveBytes());
        assertThrows(IllegalStateException.class, () -> a.free(s2), "double free is caught");
    }

    @Test
    void aSteadyLoopStopsAllocating() {
        FakeDevice dev = new FakeDevice(1L << 30);
        CudaAllocator a = new CudaAllocator(dev, Long.MAX_VALUE);
        MemoryScope scope = MemoryScope.owned("loop");
        for (int step = 0; step < 50; step++) {
            Set<Storage> live = new HashSet<>();
            for (int i = 1; i <= 20; i++) {
                live.add(a.allocate(i * 4096L - step % 3, scope)); // same size classes every step
            }
            live.forEach(a::free);
        }
        assertEquals(20, dev.allocations, "after the first step every block comes from the cache");
    }

    @Test
    void cacheLimitReturnsBlocksToTheDevice() {
        FakeDevice dev = new FakeDevice(1L << 30);
        CudaAllocator a = new CudaAllocator(dev, 4096);
        MemoryScope scope = MemoryScope.owned("limit");
        Storage big = a.allocate(8192, scope);
        Storage small = a.allocate(4096, scope);
        a.free(big);
        assertEquals(1, dev.frees, "a block beyond the cache limit goes back at once");
        a.free(small);
        assertEquals(4096, a.stats().cachedBytes());
    }

    @Test
    void outOfMemoryEmptiesTheCacheAndRetries() {
        FakeDevice dev = new FakeDevice(3 * 1024 * 1024);
        CudaAllocator a = new CudaAllocator(dev, Long.MAX_VALUE);
        MemoryScope scope = MemoryScope.owned("oom");
        Storage s = a.allocate(2 << 20, scope);
        a.free(s);
        // A different class does not fit next to the cached 2 MiB block until the cache is emptied.
        Storage t = a.allocate(3 << 20, scope);
        assertEquals(3 << 20, a.stats().liveBytes());
        assertEquals(0, a.stats().cachedBytes());
        a.free(t);
        a.emptyCache();
        assertEquals(0, dev.used);
        Storage u = a.allocate(1 << 20, scope);
        assertThrows(DeviceMemory.OutOfDeviceMemoryException.class, () -> a.allocate(3 << 20, scope));
        a.free(u);
    }
}
