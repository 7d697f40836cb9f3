package dev.onerec4j.kernels;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The worker pool: every index exactly once, across many back-to-back ranges, failures, nesting. */
class ParallelTest {

    @Test
    void everyIndexRunsExactlyOnceOverManyRanges() {
        for (int round = 0; round < 2_000; round++) {
            int n = 1 + round % 97;
            int grain = 1 + round % 7;
            AtomicIntegerArray hits = new AtomicIntegerArray(n);
            Parallel.forRange(n, grain, (from, to) -> {
                assertTrue(0 <= from && from < to && to <= n, "range [" + from + ", " + to + ") of " + n);
                for (int i = from; i < to; i++) {
                    hits.incrementAndGet(i);
                }
            });
            for (int i = 0; i < n; i++) {
                assertEquals(1, hits.get(i), "round " + round + ", index " + i + " of " + n);
            }
        }
    }

    @Test
    void theRangeIsCompleteWhenForRangeReturns() {
        for (int round = 0; round < 500; round++) {
            AtomicInteger done = new AtomicInteger();
            Parallel.forRange(64, 1, (from, to) -> {
                // Slow chunks: a worker still running one would show as a missing count below.
                long end = System.nanoTime() + 2_000;
                while (System.nanoTime() < end) {
                    Thread.onSpinWait();
                }
                done.addAndGet(to - from);
            });
            assertEquals(64, done.get(), "round " + round);
        }
    }

    @Test
    void aFailureInAChunkReachesTheCallerAndThePoolStaysUsable() {
        IllegalStateException boom = new IllegalStateException("chunk failed");
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () ->
                Parallel.forRange(100, 1, (from, to) -> {
                    if (from <= 50 && 50 < to) {
                        throw boom;
                    }
                }));
        assertSame(boom, thrown);
        AtomicInteger sum = new AtomicInteger();
        Parallel.forRange(100, 1, (from, to) -> sum.addAndGet(to - from));
        assertEquals(100, sum.get());
    }

    @Test
    void nestedRangesRunSeriallyInTheirCaller() {
        AtomicInteger inner = new AtomicInteger();
        AtomicInteger crossedThreads = new AtomicInteger();
        Parallel.forRange(8, 1, (from, to) -> {
            Thread outer = Thread.currentThread();
            Parallel.forRange(10, 1, (a, b) -> {
                if (Thread.currentThread() != outer) {
                    crossedThreads.incrementAndGet();
                }
                inner.addAndGet(b - a);
            });
        });
        assertEquals(80, inner.get());
        assertEquals(0, crossedThreads.get());
    }
}
