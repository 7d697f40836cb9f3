package dev.onerec4j.engine.serve;

import dev.onerec4j.engine.UserException;
import dev.onerec4j.engine.serve.batch.BatchRunner;
import dev.onerec4j.engine.serve.batch.DynamicBatcher;
import dev.onerec4j.engine.serve.model.LoadedRun;
import dev.onerec4j.engine.serve.model.RequestResolver;
import dev.onerec4j.engine.serve.model.ResolvedRequest;
import dev.onerec4j.engine.serve.model.RewardScorer;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A trained OneRec run, served in-process: the JVM API behind the HTTP server, for services that embed the model.
 * <pre>{@code
 * try (Recommender rec = Recommender.open(Path.of("runs/beauty"))) {
 *     Recommendation r = rec.recommend(RecommendRequest.of(List.of("B004756YJA", "B00KHH2VOY"), 10));
 *     for (RecommendedItem item : r.items()) {
 *         System.out.println(item.id() + " " + item.score());
 *     }
 * }
 * }</pre>
 * {@link #recommend} is thread-safe; concurrent calls are batched (one decoding pass for several requests), and
 * a call that arrives alone is decoded at once. The run folder alone is enough: weights are memory-mapped,
 * semantic IDs and catalogue are read from the folder, the training data set is not needed. {@link #reload}
 * swaps in the folder's current model while requests keep being answered; {@link #addItem} makes a new item
 * recommendable immediately. With {@link RecommenderOptions#withRewardSelection} the generated candidates are
 * ranked by a P-Score reward model and the best {@code k} returned.
 */
public final class Recommender implements AutoCloseable {

    private record Job(LoadedRun run, ResolvedRequest request, CompletableFuture<Recommendation> result) {
    }

    /** What the groups of a batch share: the model and the beam width. */
    private record GroupKey(LoadedRun run, int beamWidth) {
    }

    private final Path folder;
    private final RecommenderOptions options;
    private final ServingMetrics metrics;
    private final RewardScorer reward;
    private final AtomicReference<LoadedRun> current = new AtomicReference<>();
    private final AtomicInteger loads = new AtomicInteger();
    private final DynamicBatcher<Job> batcher;
    private final ThreadLocal<BatchRunner> runners;
    private final Object reloadLock = new Object();
    private volatile boolean closed;

    private Recommender(Path folder, RecommenderOptions options, ServingMetrics metrics, LoadedRun first,
                        RewardScorer reward) {
        this.folder = folder;
        this.options = options;
        this.metrics = metrics;
        this.reward = reward;
        this.current.set(first);
        ListSelector selector = reward == null ? options.selector() : ListSelector.byScore(reward.name(), reward);
        this.runners = ThreadLocal.withInitial(() -> new BatchRunner(selector));
        this.batcher = new DynamicBatcher<>("onerec4j-decode", 4096, options.workers(), options.maxBatchRequests(),
                options.maxBatchBeams(), options.batchWaitMicros(), TimeUnit.MICROSECONDS,
                job -> new GroupKey(job.run(), job.request().beamWidth()), job -> job.request().beamWidth(),
                this::handle);
        metrics.gauges(batcher::queueDepth, batcher::busyWorkers);
    }

    /** Opens run folder {@code run} with the default options. */
    public static Recommender open(Path run) {
        return open(run, RecommenderOptions.defaults());
    }

    /**
     * Opens run folder {@code run}.
     *
     * @throws UserException when the folder is not a servable run
     */
    public static Recommender open(Path run, RecommenderOptions options) {
        return open(run, options, new ServingMetrics());
    }

    /** Opens run folder {@code run}, counting into {@code metrics}. */
    public static Recommender open(Path run, RecommenderOptions options, ServingMetrics metrics) {
        LoadedRun first = LoadedRun.open(run, versionLabel(run, 1));
        RewardScorer reward = null;
        try {
            reward = options.reward() == null ? null : RewardScorer.open(options.reward().folder(), first.catalog(),
                    first.info().space().items());
            Recommender r = new Recommender(run, options, metrics, first, reward);
            r.loads.set(1);
            return r;
        } catch (RuntimeException e) {
            first.release();
            if (reward != null) {
                reward.close();
            }
            throw e;
        }
    }

    private static String versionLabel(Path run, int load) {
        Path name = run.toAbsolutePath().normalize().getFileName();
        return (name == null ? "run" : name.toString()) + "#" + load;
    }

    /**
     * The top items for {@code request}, best first. Blocks until answered.
     *
     * @throws InvalidRequestException when the request is invalid (the exception names the field)
     * @throws UnavailableException    when the recommender is overloaded or closing
     */
    public Recommendation recommend(RecommendRequest request) {
        try {
            return recommendAsync(request).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnavailableException("interrupted while waiting for the answer");
        } catch (ExecutionException e) {
            throw unwrap(e.getCause());
        }
    }

    /** Like {@link #recommend}, answering through a future (validation errors are thrown at once). */
    public CompletableFuture<Recommendation> recommendAsync(RecommendRequest request) {
        if (request == null) {
            throw new InvalidRequestException("request", "is missing");
        }
        if (closed) {
            throw new UnavailableException("the recommender is shutting down");
        }
        LoadedRun run = acquire();
        Job job;
        try {
            int decodable = run.semanticIds().itemCount();
            RequestResolver resolver = new RequestResolver(options, defaultBeamWidth(run));
            job = new Job(run, resolver.resolve(request, run.catalog(), decodable), new CompletableFuture<>());
        } catch (RuntimeException e) {
            run.release();
            throw e;
        }
        if (!batcher.submit(job)) {
            run.release();
            metrics.rejected();
            throw new UnavailableException(closed ? "the recommender is shutting down"
                    : "too many requests are waiting; retry later");
        }
        return job.result();
    }

    /** The beam width of requests that give none: the reward selection's candidate count, else the run's. */
    private int defaultBeamWidth(LoadedRun run) {
        int candidates = options.reward() == null ? 0 : options.reward().candidates();
        return candidates > 0 ? candidates : run.info().config().eval.beamWidth;
    }

    private LoadedRun acquire() {
        while (true) {
            LoadedRun run = current.get();
            if (run.tryAcquire()) {
                return run;
            }
            if (closed) {
                throw new UnavailableException("the recommender is shutting down");
            }
        }
    }

    private void handle(List<Job> jobs) {
        try {
            decode(jobs);
        } finally {
            for (Job j : jobs) {
                j.run().release();
            }
        }
    }

    private void decode(List<Job> jobs) {
        long start = System.nanoTime();
        try {
            List<Recommendation> out = runners.get().run(jobs.get(0).run(), jobs.stream().map(Job::request).toList());
            metrics.batch(jobs.size(), jobs.size() * jobs.get(0).request().beamWidth(), (System.nanoTime() - start) / 1e9);
            for (int i = 0; i < jobs.size(); i++) {
                jobs.get(i).result().complete(out.get(i));
            }
        } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
            if (jobs.size() > 1) {
                // One bad request must not fail its batch: answer each alone, so only the culprit fails.
                for (Job j : jobs) {
                    decode(List.of(j));
                }
            } else {
                jobs.get(0).result().completeExceptionally(e);
            }
        }
    }

    private static RuntimeException unwrap(Throwable t) {
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof RuntimeException re) {
            return re;
        }
        return new IllegalStateException(t);
    }

    /**
     * Adds a cold-start item: recommendable, and usable in histories, as soon as this returns; persisted in the run
     * folder.
     *
     * @throws InvalidRequestException when the id exists, the ID is malformed or taken, or none of the features is
     *                                 known to the run's tokenizer
     */
    public AddedItem addItem(NewItem item) {
        if (item == null || item.id() == null || item.id().isEmpty()) {
            throw new InvalidRequestException("id", "must be a non-empty item id");
        }
        synchronized (reloadLock) {
            LoadedRun run = acquire();
            try {
                int[] sid = item.sid();
                if (sid == null) {
                    if (item.features() == null) {
                        throw new InvalidRequestException("sid", "give the item's semantic ID or its features");
                    }
                    if (run.catalog().indexOf(item.id()) >= 0) {
                        throw InvalidRequestException.conflict("id", "item '" + item.id() + "' already exists");
                    }
                    sid = run.assignSid(item.features());
                }
                int index = run.addItem(item.id(), sid, item.title(), item.duration());
                metrics.itemAdded();
                return new AddedItem(item.id(), index, sid);
            } finally {
                run.release();
            }
        }
    }

    /**
     * Loads the run folder again (new weights, catalogue, items) and swaps it in; requests in flight finish on the
     * model they started with, new ones use the new model, none fails.
     *
     * @return the new model version
     * @throws UserException when the folder cannot be loaded (the previous model keeps serving)
     */
    public String reload() {
        synchronized (reloadLock) {
            if (closed) {
                throw new UnavailableException("the recommender is shutting down");
            }
            LoadedRun next;
            try {
                next = LoadedRun.open(folder, versionLabel(folder, loads.get() + 1));
            } catch (RuntimeException e) {
                metrics.reload(false);
                throw e;
            }
            try {
                if (reward != null) {
                    reward.check(next.catalog(), next.info().space().items());
                }
            } catch (RuntimeException e) {
                next.release();
                metrics.reload(false);
                throw e;
            }
            loads.incrementAndGet();
            LoadedRun old = current.getAndSet(next);
            old.release();
            metrics.reload(true);
            return next.version();
        }
    }

    /** The model answering new requests now. */
    public ModelInfo info() {
        LoadedRun run = current.get();
        return new ModelInfo(run.version(), run.folder(), run.weights(), run.info().config().model.architecture.id(),
                run.info().parameters(), run.catalog().itemCount(), run.semanticIds().levels(),
                run.info().space().codebookSizes(), run.info().config().eval.beamWidth, run.tokenizerFolder());
    }

    public ServingMetrics metrics() {
        return metrics;
    }

    /** The weights file the current model was loaded from (for change detection). */
    Path weights() {
        return current.get().weights();
    }

    /**
     * Stops taking requests, answers everything queued and in flight, then releases the model. Waits at most
     * {@code timeout}.
     */
    public void close(long timeout, TimeUnit unit) {
        synchronized (reloadLock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        batcher.close(timeout, unit);
        current.get().release();
        if (reward != null) {
            reward.close();
        }
    }

    @Override
    public void close() {
        close(30, TimeUnit.SECONDS);
    }
}
