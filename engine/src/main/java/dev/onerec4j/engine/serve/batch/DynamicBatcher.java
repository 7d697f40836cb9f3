package dev.onerec4j.engine.serve.batch;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.ManyToManyConcurrentArrayQueue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

/**
 * Dynamic batching: requests from any number of threads go into one bounded Agrona queue; a fixed set of workers
 * (one per core) each take what is waiting, up to a batch bound, and decode it together. A worker never waits for
 * more requests when nothing else is in flight, so a request that arrives alone pays no batching delay; under
 * load, requests that queue up while the workers are busy are batched, and a worker may wait up to
 * {@code maxWait} for the batch to fill. Idle workers back off and park (never busy-spin: that would starve a
 * small machine) and are woken by the next submission.
 *
 * <p>Jobs of one batch are grouped by a key (e.g. the model and the beam width), since one decoding pass needs a common
 * shape; each group is bounded by {@code maxRequests} jobs and {@code maxCost} total cost.
 *
 * @param <J> job
 */
public final class DynamicBatcher<J> implements AutoCloseable {

    /** Runs one group of jobs; it completes (or fails) every job's future itself. */
    @FunctionalInterface
    public interface Handler<J> {
        void handle(List<J> jobs);
    }

    private final ManyToManyConcurrentArrayQueue<J> queue;
    private final Handler<J> handler;
    private final Function<J, Object> key;
    private final Function<J, Integer> cost;
    private final int maxRequests;
    private final long maxCost;
    private final long maxWaitNanos;
    private final Thread[] workers;
    private final AtomicIntegerArray parked;
    private final AtomicInteger busy = new AtomicInteger();
    private final AtomicInteger queued = new AtomicInteger();
    private volatile boolean accepting = true;
    private volatile boolean stopped;

    /**
     * @param capacity    queued jobs beyond which {@link #submit} refuses (back-pressure)
     * @param workers     decoding threads
     * @param maxRequests most jobs in one group (1 = no batching)
     * @param maxCost     most total cost in one group (a single job above it still runs, alone)
     * @param maxWait     how long a worker waits to fill a batch while other batches are running
     */
    public DynamicBatcher(String name, int capacity, int workers, int maxRequests, long maxCost, long maxWait,
                          TimeUnit unit, Function<J, Object> key, Function<J, Integer> cost, Handler<J> handler) {
        if (capacity < 1 || workers < 1 || maxRequests < 1 || maxCost < 1 || maxWait < 0) {
            throw new IllegalArgumentException("batcher: capacity, workers, batch bounds must be positive, got "
                    + capacity + ", " + workers + ", " + maxRequests + ", " + maxCost + ", wait " + maxWait);
        }
        this.queue = new ManyToManyConcurrentArrayQueue<>(capacity);
        this.handler = handler;
        this.key = key;
        this.cost = cost;
        this.maxRequests = maxRequests;
        this.maxCost = maxCost;
        this.maxWaitNanos = unit.toNanos(maxWait);
        this.workers = new Thread[workers];
        this.parked = new AtomicIntegerArray(workers);
        for (int i = 0; i < workers; i++) {
            int index = i;
            this.workers[i] = Thread.ofPlatform().name(name + "-" + i).daemon(true).unstarted(() -> loop(index));
        }
        for (Thread t : this.workers) {
            t.start();
        }
    }

    /**
     * Queues {@code job}; false when the queue is full or the batcher is shutting down (the caller answers
     * "overloaded" / "unavailable").
     */
    public boolean submit(J job) {
        if (!accepting) {
            return false;
        }
        queued.incrementAndGet();
        if (!queue.offer(job)) {
            queued.decrementAndGet();
            return false;
        }
        wakeOne();
        return true;
    }

    /** Jobs waiting to be picked up. */
    public int queueDepth() {
        return Math.max(0, queued.get());
    }

    /** Workers decoding a batch now. */
    public int busyWorkers() {
        return busy.get();
    }

    private void wakeOne() {
        for (int i = 0; i < workers.length; i++) {
            if (parked.get(i) == 1) {
                LockSupport.unpark(workers[i]);
                return;
            }
        }
    }

    private void loop(int index) {
        IdleStrategy idle = new BackoffIdleStrategy(16, 16, TimeUnit.MICROSECONDS.toNanos(1),
                TimeUnit.MILLISECONDS.toNanos(1));
        List<J> batch = new ArrayList<>(maxRequests);
        while (true) {
            J first = queue.poll();
            if (first == null) {
                if (stopped) {
                    return;
                }
                parked.set(index, 1);
                // Checked again after announcing the park, so a job offered meanwhile is not left waiting.
                if (queue.isEmpty()) {
                    idle.idle();
                }
                parked.set(index, 0);
                continue;
            }
            idle.reset();
            queued.decrementAndGet();
            busy.incrementAndGet();
            try {
                batch.clear();
                batch.add(first);
                fill(batch);
                runGroups(batch);
            } finally {
                busy.decrementAndGet();
            }
        }
    }

    /** Adds waiting jobs to {@code batch}; waits (bounded) for more only while other workers are busy. */
    private void fill(List<J> batch) {
        long deadline = System.nanoTime() + maxWaitNanos;
        while (batch.size() < maxRequests) {
            J next = queue.poll();
            if (next != null) {
                queued.decrementAndGet();
                batch.add(next);
                continue;
            }
            boolean othersBusy = busy.get() > 1;
            if (!othersBusy || maxWaitNanos == 0 || System.nanoTime() >= deadline) {
                return;
            }
            LockSupport.parkNanos(Math.min(20_000L, deadline - System.nanoTime()));
        }
    }

    /** Splits {@code batch} into groups of one key and bounded cost, in arrival order, and runs each. */
    private void runGroups(List<J> batch) {
        boolean[] done = new boolean[batch.size()];
        List<J> group = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            if (done[i]) {
                continue;
            }
            group.clear();
            Object k = key.apply(batch.get(i));
            long total = 0;
            for (int j = i; j < batch.size(); j++) {
                J job = batch.get(j);
                if (done[j] || !key.apply(job).equals(k)) {
                    continue;
                }
                long c = cost.apply(job);
                if (!group.isEmpty() && total + c > maxCost) {
                    continue;
                }
                group.add(job);
                total += c;
                done[j] = true;
            }
            try {
                handler.handle(List.copyOf(group));
            } catch (RuntimeException | Error e) {
                // The handler answers its own jobs, so this is a bug in it; the worker must survive it.
                System.err.println("batcher: handler failed: " + e);
            }
        }
    }

    /**
     * Stops accepting jobs, lets the workers finish everything queued and in flight, and waits for them (up to
     * {@code timeout}).
     */
    @Override
    public void close() {
        close(30, TimeUnit.SECONDS);
    }

    public void close(long timeout, TimeUnit unit) {
        accepting = false;
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (queueDepth() > 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(1_000_000L);
        }
        stopped = true;
        for (Thread t : workers) {
            LockSupport.unpark(t);
        }
        for (Thread t : workers) {
            long left = deadline - System.nanoTime();
            try {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
