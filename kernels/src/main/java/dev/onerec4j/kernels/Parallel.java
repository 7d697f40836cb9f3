package dev.onerec4j.kernels;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one worker pool of the process, sized to the cores.
 *
 * <p>Kernels hand it coarse ranges (row blocks, GEMM tiles); the calling thread takes part in the work, so a
 * pool of {@code T} threads has {@code T - 1} background workers. There is no nested parallelism: a range
 * submitted from inside a running range, or while another thread owns the pool (for instance one serving
 * worker per core), runs serially in the caller. That keeps the pool lock-free for the common cases and never
 * oversubscribes a small machine.
 *
 * <p>Waiting spins briefly and then parks: busy-spinning starves a 2-core machine.
 */
public final class Parallel {

    /** A body that processes the half-open index range {@code [from, to)}. */
    @FunctionalInterface
    public interface RangeBody {
        void apply(int from, int to);
    }

    private static final int THREADS = Math.max(1,
            Integer.getInteger("onerec4j.threads", Runtime.getRuntime().availableProcessors()));
    private static final int SPINS = 2_000;

    private static final Pool POOL = new Pool(THREADS);
    private static final ThreadLocal<boolean[]> INSIDE = ThreadLocal.withInitial(() -> new boolean[1]);

    private Parallel() {
    }

    /** Number of threads that take part in a parallel range (the caller included). */
    public static int threads() {
        return THREADS;
    }

    /**
     * Index of the current thread within the pool, in {@code [0, threads())}: 0 for any thread that is not a
     * pool worker. Kernels use it to pick a per-thread scratch buffer.
     */
    public static int workerIndex() {
        return Thread.currentThread() instanceof Worker w ? w.index : 0;
    }

    /**
     * Runs {@code body} over {@code [0, n)} split into chunks of at least {@code grain} indices. Small ranges,
     * nested calls and calls made while another thread owns the pool run serially in the caller.
     */
    public static void forRange(int n, int grain, RangeBody body) {
        if (n <= 0) {
            return;
        }
        int g = Math.max(1, grain);
        boolean[] inside = INSIDE.get();
        if (THREADS == 1 || n <= g || inside[0] || Thread.currentThread() instanceof Worker) {
            body.apply(0, n);
            return;
        }
        if (!POOL.lock.tryLock()) {
            body.apply(0, n);
            return;
        }
        inside[0] = true;
        try {
            POOL.run(n, g, body);
        } finally {
            inside[0] = false;
            POOL.lock.unlock();
        }
    }

    /**
     * Runs {@code task} once per pool thread with the thread's index, e.g. to let each thread fold its own
     * partial result. Serial fall-back runs every index in the caller.
     */
    public static void forEachThread(RangeBody task) {
        forRange(THREADS, 1, (from, to) -> {
            for (int t = from; t < to; t++) {
                task.apply(t, t + 1);
            }
        });
    }

    /** A pool worker thread: daemon, with a fixed index used for per-thread scratch space. */
    static final class Worker extends Thread {
        final int index;
        private final Pool pool;

        Worker(Pool pool, int index) {
            super("onerec4j-worker-" + index);
            this.pool = pool;
            this.index = index;
            setDaemon(true);
        }

        @Override
        public void run() {
            long seen = 0;
            while (true) {
                seen = pool.awaitJob(seen, this);
                pool.work();
                pool.finishOne();
            }
        }
    }

    /** The job board: one job at a time, chunks handed out through an atomic counter. */
    static final class Pool {
        final ReentrantLock lock = new ReentrantLock();
        private final Worker[] workers;
        private final AtomicInteger nextChunk = new AtomicInteger();
        private final AtomicInteger pending = new AtomicInteger();
        private volatile long generation;
        private volatile Thread caller;
        private int n;
        private int chunk;
        private int chunks;
        private RangeBody body;
        private volatile Throwable failure;

        Pool(int threads) {
            workers = new Worker[threads - 1];
            for (int i = 0; i < workers.length; i++) {
                workers[i] = new Worker(this, i + 1);
                workers[i].start();
            }
        }

        void run(int n, int grain, RangeBody body) {
            int parts = Math.min(workers.length + 1, (n + grain - 1) / grain);
            // A few chunks per thread balance uneven tiles without much bookkeeping.
            int target = parts == 1 ? 1 : parts * 4;
            int size = Math.max(grain, (n + target - 1) / target);
            this.n = n;
            this.chunk = size;
            this.chunks = (n + size - 1) / size;
            this.body = body;
            this.failure = null;
            this.caller = Thread.currentThread();
            nextChunk.set(0);
            pending.set(workers.length);
            generation++;
            for (Worker w : workers) {
                LockSupport.unpark(w);
            }
            work();
            awaitWorkers();
            this.body = null;
            Throwable t = failure;
            if (t != null) {
                if (t instanceof RuntimeException re) {
                    throw re;
                }
                if (t instanceof Error e) {
                    throw e;
                }
                throw new IllegalStateException(t);
            }
        }

        void work() {
            RangeBody b = body;
            int c;
            while ((c = nextChunk.getAndIncrement()) < chunks) {
                int from = c * chunk;
                int to = Math.min(n, from + chunk);
                try {
                    b.apply(from, to);
                } catch (Throwable t) {
                    failure = t;
                    nextChunk.set(chunks);
                }
            }
        }

        long awaitJob(long seen, Worker self) {
            int spins = 0;
            while (generation == seen) {
                if (spins++ < SPINS) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                }
            }
            return generation;
        }

        void finishOne() {
            if (pending.decrementAndGet() == 0) {
                LockSupport.unpark(caller);
            }
        }

        private void awaitWorkers() {
            int spins = 0;
            while (pending.get() != 0) {
                if (spins++ < SPINS) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                }
            }
        }
    }
}
