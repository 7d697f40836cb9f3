package dev.onerec4j.tensors;

/**
 * A snapshot of CPU tensor memory: bytes held by live tensors, the peak of that, bytes cached for reuse, and
 * how many blocks had to be freshly allocated (it stops growing once a loop reaches its steady state).
 */
public record MemoryStats(long liveBytes, long peakLiveBytes, long cachedBytes, long freshAllocations) {

    /** The current CPU memory statistics. */
    public static MemoryStats cpu() {
        return CpuAllocator.INSTANCE.stats();
    }
}
