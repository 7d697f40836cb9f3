package dev.onerec4j.engine.align;

import dev.onerec4j.engine.model.OneRecModel;
import dev.onerec4j.tensors.Tensor;

import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Supplier;

/**
 * Decouples generation from training (report figure 8) on one machine. With {@code refreshEvery = N > 0} a
 * generator thread makes the rollouts on a parameter snapshot that the trainer refreshes every N steps, pipelined
 * one round ahead: the rollouts of steps {@code rN .. rN + N - 1} are generated with the parameters the policy had
 * at step {@code (r - 1) N} (the initial ones for rounds 0 and 1) while the trainer trains on round {@code r - 1}.
 * The schedule is fixed, so a run is deterministic whatever the threads' timing. Two snapshot buffers alternate:
 * the one being refreshed at step {@code rN} last served round {@code r - 1}, which the trainer has fully
 * consumed by then. With {@code N = 0} every rollout is generated on-policy in the trainer's thread.
 */
public final class RolloutGenerator implements AutoCloseable {

    private final RolloutMaker maker;
    private final OneRecModel live;
    private final int refreshEvery;
    private final long steps;
    private final OneRecModel[] buffers;
    private final BlockingQueue<Object> queue;
    private final Thread thread;
    private final Object lock = new Object();
    private long published;
    private volatile boolean closed;

    /**
     * @param snapshot makes an empty model of the policy's shape (called twice when asynchronous)
     * @param live     the policy being trained
     * @param steps    training steps the generator makes rollouts for
     */
    public RolloutGenerator(RolloutMaker maker, Supplier<OneRecModel> snapshot, OneRecModel live, int refreshEvery,
                            long steps) {
        this.maker = maker;
        this.live = live;
        this.refreshEvery = refreshEvery;
        this.steps = steps;
        if (refreshEvery == 0) {
            this.buffers = null;
            this.queue = null;
            this.thread = null;
            return;
        }
        this.buffers = new OneRecModel[] {snapshot.get(), snapshot.get()};
        copy(live, buffers[0]);
        this.published = 0;
        this.queue = new ArrayBlockingQueue<>(Math.max(2, refreshEvery + 1));
        this.thread = new Thread(this::generate, "onerec4j-rl-generator");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /**
     * The rollout for training step {@code step}; steps must be asked for in order from 0. At the start of every
     * round (a multiple of N after the first) the live parameters are published to the generator first.
     */
    public Rollout take(long step) {
        if (thread == null) {
            return maker.make(step, live, step);
        }
        if (step > 0 && step % refreshEvery == 0) {
            long version = step;
            copy(live, buffers[(int) ((version / refreshEvery) % 2)]);
            synchronized (lock) {
                published = version;
                lock.notifyAll();
            }
        }
        Object next;
        try {
            next = queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for RL samples", e);
        }
        if (next instanceof Throwable t) {
            throw new IllegalStateException("RL sample generation failed: " + t.getMessage(), t);
        }
        Rollout r = (Rollout) next;
        if (r.step() != step) {
            throw new IllegalStateException("RL samples for step " + r.step() + " arrived at step " + step);
        }
        return r;
    }

    /** The parameter version (training step) that generates the rollouts of {@code step}. */
    long versionFor(long step) {
        if (refreshEvery == 0) {
            return step;
        }
        long round = step / refreshEvery;
        return Math.max(0, round - 1) * refreshEvery;
    }

    private void generate() {
        try {
            for (long step = 0; step < steps && !closed; step++) {
                long version = versionFor(step);
                synchronized (lock) {
                    while (published < version && !closed) {
                        lock.wait();
                    }
                }
                if (closed) {
                    return;
                }
                OneRecModel policy = buffers[(int) ((version / refreshEvery) % 2)];
                queue.put(maker.make(step, policy, version));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            try {
                queue.put(t);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void copy(OneRecModel from, OneRecModel to) {
        Map<String, Tensor> src = from.stateTensors();
        Map<String, Tensor> dst = to.stateTensors();
        for (Map.Entry<String, Tensor> e : src.entrySet()) {
            dst.get(e.getKey()).copyFrom(e.getValue());
        }
    }

    @Override
    public void close() {
        closed = true;
        if (thread != null) {
            synchronized (lock) {
                lock.notifyAll();
            }
            thread.interrupt();
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
