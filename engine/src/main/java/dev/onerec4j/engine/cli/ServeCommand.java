package dev.onerec4j.engine.cli;

import dev.onerec4j.engine.UserException;
import dev.onerec4j.engine.serve.ModelWatcher;
import dev.onerec4j.engine.serve.Recommender;
import dev.onerec4j.engine.serve.RecommenderOptions;
import dev.onerec4j.engine.serve.http.RecommendServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** {@code serve}: the HTTP/JSON API of a trained run, until stopped (SIGTERM/Ctrl-C finish the requests in flight). */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serve a trained run over HTTP/JSON: POST /v1/recommend, POST /v1/items, GET /v1/model, "
                + "GET /healthz, GET /metrics, POST /admin/reload (see docs/serving.md).")
public final class ServeCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "RUN", description = "Run folder written by train.")
    Path model;

    @Option(names = "--port", defaultValue = "8080", description = "Port (0 = any free port; default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--max-batch", defaultValue = "64",
            description = "Most requests decoded together; 1 switches batching off (default: ${DEFAULT-VALUE}).")
    int maxBatch;

    @Option(names = "--batch-wait-us", defaultValue = "200",
            description = "How long a worker may wait to fill a batch while others are busy (default: ${DEFAULT-VALUE}).")
    long batchWaitMicros;

    @Option(names = "--workers", description = "Decoding threads (default: one per core).")
    Integer workers;

    @Option(names = "--threads", paramLabel = "N", description = "Kernel worker pool size (default: one per core).")
    Integer threads;

    @Option(names = "--max-body-bytes", defaultValue = "1048576",
            description = "Largest request body (default: ${DEFAULT-VALUE}); larger ones get 413.")
    int maxBody;

    @Option(names = "--http-threads", defaultValue = "64", description = "HTTP handler threads (default: ${DEFAULT-VALUE}).")
    int httpThreads;

    @Option(names = "--watch-seconds", defaultValue = "5",
            description = "Reload when the run folder gets new weights, checked this often; 0 = only on POST "
                    + "/admin/reload (default: ${DEFAULT-VALUE}).")
    double watchSeconds;

    @Mixin
    RewardOptions rewardOptions = new RewardOptions();

    @Override
    public Integer call() throws InterruptedException {
        if (maxBatch < 1 || maxBody < 1 || httpThreads < 1 || batchWaitMicros < 0 || watchSeconds < 0
                || (workers != null && workers < 1)) {
            throw new UserException("serve: --max-batch, --max-body-bytes, --http-threads and --workers must be >= 1; "
                    + "--batch-wait-us and --watch-seconds >= 0");
        }
        PoolSize.configure(threads, "serve");
        RecommenderOptions options = RecommenderOptions.defaults().withMaxBatchRequests(maxBatch)
                .withBatchWaitMicros(batchWaitMicros);
        if (workers != null) {
            options = options.withWorkers(workers);
        }
        options = rewardOptions.apply(options);
        Recommender recommender = Recommender.open(model, options);
        RecommendServer server;
        try {
            server = RecommendServer.start(recommender,
                    new RecommendServer.Options(host, port, maxBody, httpThreads, 30));
        } catch (RuntimeException e) {
            recommender.close();
            throw e;
        }
        ModelWatcher watcher = watchSeconds > 0
                ? new ModelWatcher(recommender, model, (long) (watchSeconds * 1000), m -> System.err.println("serve: " + m))
                : null;
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.err.println("serve: stopping (finishing requests in flight)");
            if (watcher != null) {
                watcher.close();
            }
            server.close();
            recommender.close(30, TimeUnit.SECONDS);
            System.err.println("serve: stopped");
            stopped.countDown();
        }, "onerec4j-shutdown"));
        var info = recommender.info();
        System.out.printf("serving %s (%s, %,d items, %d decoding workers, batches of up to %d) on http://%s:%d%n",
                model, info.version(), info.items(), options.workers(), maxBatch, host, server.port());
        System.out.flush();
        stopped.await();
        return 0;
    }
}
