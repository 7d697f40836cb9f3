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
            Job seen = null;
            while (true) {
                seen = pool.awaitJob(seen);
                seen.work();
            }
        }
    }

    /**
     * One parallel range: its chunks are claimed through its own counter, so a worker that wakes after the job is
     * over (or while a later job runs) finds nothing left to claim in it and goes back to waiting.
     */
    static final class Job {
        private final int n;
        private final int chunk;
        private final int chunks;
        private final RangeBody body;
        private final Thread caller;
        private final AtomicInteger next = new AtomicInteger();
        private final AtomicInteger completed = new AtomicInteger();
        private volatile Throwable failure;

        Job(int n, int chunk, RangeBody body, Thread caller) {
            this.n = n;
            this.chunk = chunk;
            this.chunks = (n + chunk - 1) / chunk;
            this.body = body;
            this.caller = caller;
        }

        /** Claims and runs chunks until none is left; after a failure the rest are claimed but skipped. */
        void work() {
            int c;
            while ((c = next.getAndIncrement()) < chunks) {
                if (failure == null) {
                    int from = c * chunk;
                    try {
                        body.apply(from, Math.min(n, from + chunk));
                    } catch (Throwable t) {
                        failure = t;
                    }
                }
                if (completed.incrementAndGet() == chunks && Thread.currentThread() != caller) {
                    LockSupport.unpark(caller);
                }
            }
        }

        /** Waits until every chunk has been run (by whichever thread claimed it). */
        void awaitCompletion() {
            int spins = 0;
            while (completed.get() < chunks) {
                if (spins++ < SPINS) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                }
            }
        }
    }

    /**
     * The job board: one job at a time. The caller wakes the workers, works through the chunks itself and then
     * waits only for chunks a worker has claimed and not finished: a worker that the scheduler has not run yet
     * (a loaded machine) does not hold up a range the caller has already finished.
     */
    static final class Pool {
        private static final Job IDLE = new Job(0, 1, (from, to) -> { }, null);
        final ReentrantLock lock = new ReentrantLock();
        private final Worker[] workers;
        /** The job workers are woken for; {@link #IDLE} between jobs, so a finished body is not kept reachable. */
        private volatile Job job = IDLE;

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
            Job j = new Job(n, size, body, Thread.currentThread());
            job = j;
            for (Worker w : workers) {
                LockSupport.unpark(w);
            }
            j.work();
            j.awaitCompletion();
            job = IDLE;
            Throwable t = j.failure;
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

        /** Waits for a job other than {@code seen}. */
        Job awaitJob(Job seen) {
            int spins = 0;
            Job j;
            while ((j = job) == seen) {
                if (spins++ < SPINS) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                }
            }
            return j;
        }
    }
}
