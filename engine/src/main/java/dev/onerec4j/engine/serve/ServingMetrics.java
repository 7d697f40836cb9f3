package dev.onerec4j.engine.serve;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

/**
 * Counters of a serving process, rendered in the Prometheus text format: requests by endpoint and status, errors,
 * request latency, decoded batch sizes (requests and beams) and decoding time, reloads and added items, and
 * gauges of the queue and the busy decoding workers.
 */
public final class ServingMetrics {

    private static final double[] LATENCY_SECONDS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5,
            5, 10};
    private static final double[] BATCH_REQUESTS = {1, 2, 4, 8, 16, 32, 64, 128};
    private static final double[] BATCH_BEAMS = {16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192};

    private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
    private final Map<String, Histogram> latency = new ConcurrentHashMap<>();
    private final Histogram batchRequests = new Histogram(BATCH_REQUESTS);
    private final Histogram batchBeams = new Histogram(BATCH_BEAMS);
    private final Histogram batchSeconds = new Histogram(LATENCY_SECONDS);
    private final LongAdder errors = new LongAdder();
    private final LongAdder reloads = new LongAdder();
    private final LongAdder failedReloads = new LongAdder();
    private final LongAdder addedItems = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private volatile IntSupplier queueDepth = () -> 0;
    private volatile IntSupplier busyWorkers = () -> 0;

    /** One answered HTTP request (or embedded call, endpoint {@code embedded}). */
    public void request(String endpoint, int status, double seconds) {
        requests.computeIfAbsent(endpoint + "|" + status, x -> new LongAdder()).increment();
        latency.computeIfAbsent(endpoint, x -> new Histogram(LATENCY_SECONDS)).observe(seconds);
        if (status >= 500) {
            errors.increment();
        }
    }

    public void batch(int requestCount, int beams, double seconds) {
        batchRequests.observe(requestCount);
        batchBeams.observe(beams);
        batchSeconds.observe(seconds);
    }

    public void reload(boolean ok) {
        (ok ? reloads : failedReloads).increment();
    }

    /** Successful reloads so far (the first load not counted). */
    public long reloads() {
        return reloads.sum();
    }

    public void itemAdded() {
        addedItems.increment();
    }

    /** A request refused because the queue was full. */
    public void rejected() {
        rejected.increment();
    }

    public void gauges(IntSupplier queue, IntSupplier busy) {
        this.queueDepth = queue;
        this.busyWorkers = busy;
    }

    /** Requests answered with {@code status} on {@code endpoint} so far. */
    public long count(String endpoint, int status) {
        LongAdder a = requests.get(endpoint + "|" + status);
        return a == null ? 0 : a.sum();
    }

    /** Batches decoded so far. */
    public long batches() {
        return batchRequests.count();
    }

    /** Mean requests per decoded batch. */
    public double meanBatchRequests() {
        long n = batchRequests.count();
        return n == 0 ? 0 : batchRequests.sum() / n;
    }

    public String render() {
        StringBuilder out = new StringBuilder(4096);
        out.append("# HELP onerec_requests_total Requests answered, by endpoint and HTTP status.\n");
        out.append("# TYPE onerec_requests_total counter\n");
        requests.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            String[] p = e.getKey().split("\\|");
            out.append("onerec_requests_total{endpoint=\"").append(p[0]).append("\",status=\"").append(p[1])
                    .append("\"} ").append(e.getValue().sum()).append('\n');
        });
        counter(out, "onerec_errors_total", "Requests answered with a 5xx status.", errors.sum());
        counter(out, "onerec_rejected_total", "Requests refused because the decoding queue was full.", rejected.sum());
        out.append("# HELP onerec_request_duration_seconds Time from receiving a request to answering it.\n");
        out.append("# TYPE onerec_request_duration_seconds histogram\n");
        latency.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e ->
                e.getValue().render(out, "onerec_request_duration_seconds", "endpoint=\"" + e.getKey() + "\""));
        histogram(out, "onerec_batch_requests", "Requests decoded together in one batch.", batchRequests);
        histogram(out, "onerec_batch_beams", "Beams decoded together in one batch (requests x beam width).", batchBeams);
        histogram(out, "onerec_batch_duration_seconds", "Time to decode one batch.", batchSeconds);
        counter(out, "onerec_model_reloads_total", "Successful model reloads.", reloads.sum());
        counter(out, "onerec_model_reload_failures_total", "Reloads that failed (the previous model kept serving).",
                failedReloads.sum());
        counter(out, "onerec_items_added_total", "Cold-start items added.", addedItems.sum());
        gauge(out, "onerec_queue_depth", "Requests waiting for a decoding worker.", queueDepth.getAsInt());
        gauge(out, "onerec_busy_workers", "Decoding workers busy now.", busyWorkers.getAsInt());
        return out.toString();
    }

    private static void counter(StringBuilder out, String name, String help, long value) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(" counter\n");
        out.append(name).append(' ').append(value).append('\n');
    }

    private static void gauge(StringBuilder out, String name, String help, long value) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(" gauge\n");
        out.append(name).append(' ').append(value).append('\n');
    }

    private static void histogram(StringBuilder out, String name, String help, Histogram h) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(" histogram\n");
        h.render(out, name, "");
    }
}
