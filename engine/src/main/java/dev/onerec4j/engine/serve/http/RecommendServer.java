package dev.onerec4j.engine.serve.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.onerec4j.engine.UserException;
import dev.onerec4j.engine.serve.AddedItem;
import dev.onerec4j.engine.serve.InvalidRequestException;
import dev.onerec4j.engine.serve.ModelInfo;
import dev.onerec4j.engine.serve.Recommendation;
import dev.onerec4j.engine.serve.RecommendedItem;
import dev.onerec4j.engine.serve.Recommender;
import dev.onerec4j.engine.serve.ServingMetrics;
import dev.onerec4j.engine.serve.UnavailableException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP/JSON API of a {@link Recommender} on the JDK's HTTP server ({@code com.sun.net.httpserver}; the API is
 * small and the decoding, not the HTTP layer, bounds throughput, so no library is needed):
 * <ul>
 *   <li>{@code POST /v1/recommend}: a request as JSON, the recommendation as JSON;</li>
 *   <li>{@code POST /v1/items}: add a cold-start item;</li>
 *   <li>{@code GET /v1/model}: what is being served;</li>
 *   <li>{@code GET /healthz}: 200 while serving, 503 while shutting down;</li>
 *   <li>{@code GET /metrics}: Prometheus text format;</li>
 *   <li>{@code POST /admin/reload}: load the run folder again and swap it in without failing a request.</li>
 * </ul>
 * Every error is a JSON body {@code {"error": {"status", "field", "message"}}}: 400 for a bad request (the field
 * names what to fix), 404/405 for an unknown path or method, 409 for an item that exists, 413 for a body over the
 * limit, 503 when overloaded or shutting down. {@link #close} stops accepting connections, finishes the requests
 * in flight, then returns.
 */
public final class RecommendServer implements AutoCloseable {

    /**
     * @param host             address to bind (loopback by default)
     * @param port             port (0 = any free port)
     * @param maxBodyBytes     largest request body accepted
     * @param handlerThreads   threads reading requests and writing answers (decoding has its own workers)
     * @param shutdownSeconds  how long {@link #close} waits for requests in flight
     */
    public record Options(String host, int port, int maxBodyBytes, int handlerThreads, int shutdownSeconds) {
        public Options {
            if (port < 0 || port > 65535 || maxBodyBytes < 1 || handlerThreads < 1 || shutdownSeconds < 0) {
                throw new IllegalArgumentException("server options: port 0-65535, positive body limit and threads, "
                        + "shutdown >= 0 s");
            }
        }

        public static Options defaults(int port) {
            return new Options("127.0.0.1", port, 1 << 20, 64, 30);
        }
    }

    private static final String JSON_TYPE = "application/json; charset=utf-8";

    private final Recommender recommender;
    private final ServingMetrics metrics;
    private final Options options;
    private final HttpServer server;
    private final ExecutorService executor;
    private volatile boolean stopping;

    private RecommendServer(Recommender recommender, Options options) throws IOException {
        this.recommender = recommender;
        this.metrics = recommender.metrics();
        this.options = options;
        this.server = HttpServer.create(new InetSocketAddress(options.host(), options.port()), 1024);
        AtomicInteger n = new AtomicInteger();
        ThreadFactory threads = r -> {
            Thread t = new Thread(r, "onerec4j-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        this.executor = Executors.newFixedThreadPool(options.handlerThreads(), threads);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
    }

    /** Starts serving {@code recommender}; the caller keeps owning it (close it after this server). */
    public static RecommendServer start(Recommender recommender, Options options) {
        try {
            RecommendServer s = new RecommendServer(recommender, options);
            s.server.start();
            return s;
        } catch (IOException e) {
            throw new UserException("cannot listen on " + options.host() + ":" + options.port() + ": " + e.getMessage());
        }
    }

    /** The port the server listens on. */
    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange ex) {
        long start = System.nanoTime();
        String path = ex.getRequestURI().getPath();
        String endpoint = Routes.endpoint(path);
        int status = 500;
        try {
            status = route(ex, path);
        } catch (HttpError e) {
            status = e.status;
            sendError(ex, e.status, e.field, e.getMessage(), e.headers);
        } catch (InvalidRequestException e) {
            status = e.isConflict() ? 409 : 400;
            sendError(ex, status, e.field(), e.problem(), Map.of());
        } catch (UnavailableException e) {
            status = 503;
            sendError(ex, 503, "server", e.getMessage(), Map.of("Retry-After", "1"));
        } catch (UserException e) {
            status = 500;
            sendError(ex, 500, "model", e.getMessage(), Map.of());
        } catch (IOException e) {
            // The connection failed while reading the request or writing the answer: nobody is left to answer.
            status = 499;
        } catch (RuntimeException | Error e) {
            status = 500;
            System.err.println("serve: internal error on " + path + ": " + e);
            sendError(ex, 500, "server", "internal error: " + e.getClass().getSimpleName(), Map.of());
        } finally {
            metrics.request(endpoint, status, (System.nanoTime() - start) / 1e9);
            ex.close();
        }
    }

    private int route(HttpExchange ex, String path) throws IOException {
        String method = ex.getRequestMethod();
        switch (path) {
            case Routes.RECOMMEND -> {
                requireMethod(ex, "POST");
                requireServing();
                Recommendation r = recommender.recommend(JsonRequests.recommend(body(ex)));
                return send(ex, 200, recommendation(r));
            }
            case Routes.ITEMS -> {
                requireMethod(ex, "POST");
                requireServing();
                AddedItem added = recommender.addItem(JsonRequests.item(body(ex)));
                ObjectNode o = JsonRequests.JSON.createObjectNode();
                o.put("id", added.id()).put("index", added.index());
                ArrayNode sid = o.putArray("sid");
                for (int t : added.sid()) {
                    sid.add(t);
                }
                return send(ex, 201, o);
            }
            case Routes.MODEL -> {
                requireMethod(ex, "GET");
                return send(ex, 200, model(recommender.info()));
            }
            case Routes.HEALTH -> {
                requireMethod(ex, "GET");
                ObjectNode o = JsonRequests.JSON.createObjectNode();
                o.put("status", stopping ? "stopping" : "ok").put("model", recommender.info().version());
                return send(ex, stopping ? 503 : 200, o);
            }
            case Routes.METRICS -> {
                requireMethod(ex, "GET");
                byte[] text = metrics.render().getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
                ex.sendResponseHeaders(200, text.length);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(text);
                }
                return 200;
            }
            case Routes.RELOAD -> {
                requireMethod(ex, "POST");
                requireServing();
                drain(ex);
                String previous = recommender.info().version();
                String now = recommender.reload();
                ObjectNode o = JsonRequests.JSON.createObjectNode();
                o.put("model", now).put("previous", previous);
                return send(ex, 200, o);
            }
            default -> throw new HttpError(404, "path", "no such endpoint " + JsonRequests.clip(path) + "; the API is "
                    + Routes.ALL + " (method " + method + ")", Map.of());
        }
    }

    private void requireServing() {
        if (stopping) {
            throw new UnavailableException("the server is shutting down");
        }
    }

    private static void requireMethod(HttpExchange ex, String method) {
        if (!ex.getRequestMethod().equals(method)) {
            throw new HttpError(405, "method", ex.getRequestURI().getPath() + " accepts " + method + ", not "
                    + JsonRequests.clip(ex.getRequestMethod()), Map.of("Allow", method));
        }
    }

    /** The request body, refusing (413, connection closed) one longer than the limit before reading it. */
    private byte[] body(HttpExchange ex) throws IOException {
        int max = options.maxBodyBytes();
        String length = ex.getRequestHeaders().getFirst("Content-Length");
        if (length != null) {
            long declared;
            try {
                declared = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                throw new HttpError(400, "Content-Length", "is not a number", Map.of("Connection", "close"));
            }
            if (declared > max) {
                throw tooLarge(declared);
            }
        }
        try (InputStream in = ex.getRequestBody()) {
            byte[] data = in.readNBytes(max + 1);
            if (data.length > max) {
                throw tooLarge(data.length);
            }
            return data;
        }
    }

    private HttpError tooLarge(long size) {
        return new HttpError(413, "body", "is " + (size > options.maxBodyBytes() ? "over " : "") + size
                + " bytes; the limit is " + options.maxBodyBytes(), Map.of("Connection", "close"));
    }

    private static void drain(HttpExchange ex) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            in.skip(1 << 16);
        }
    }

    private static ObjectNode recommendation(Recommendation r) {
        ObjectNode o = JsonRequests.JSON.createObjectNode();
        ArrayNode items = o.putArray("items");
        for (RecommendedItem item : r.items()) {
            ObjectNode i = items.addObject();
            i.put("id", item.id()).put("score", item.score());
            ArrayNode sid = i.putArray("sid");
            for (int t : item.sid()) {
                sid.add(t);
            }
            if (!item.title().isEmpty()) {
                i.put("title", item.title());
            }
        }
        ArrayNode unknown = o.putArray("unknownHistoryItems");
        r.unknownHistoryItems().forEach(unknown::add);
        ArrayNode values = o.putArray("unknownFeatureValues");
        r.unknownFeatureValues().forEach(values::add);
        o.put("beamWidth", r.beamWidth()).put("model", r.modelVersion());
        return o;
    }

    private static ObjectNode model(ModelInfo info) {
        ObjectNode o = JsonRequests.JSON.createObjectNode();
        o.put("version", info.version()).put("folder", info.folder().toString())
                .put("weights", info.weights().toString()).put("architecture", info.architecture())
                .put("parameters", info.parameters()).put("items", info.items()).put("levels", info.levels())
                .put("defaultBeamWidth", info.defaultBeamWidth()).put("tokenizer", info.tokenizer().toString());
        ArrayNode cb = o.putArray("codebookSizes");
        for (int s : info.codebookSizes()) {
            cb.add(s);
        }
        return o;
    }

    private static int send(HttpExchange ex, int status, ObjectNode body) throws IOException {
        byte[] bytes = JsonRequests.JSON.writeValueAsBytes(body);
        ex.getResponseHeaders().set("Content-Type", JSON_TYPE);
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
        return status;
    }

    private static void sendError(HttpExchange ex, int status, String field, String message,
                                  Map<String, String> headers) {
        ObjectNode o = JsonRequests.JSON.createObjectNode();
        ObjectNode e = o.putObject("error");
        e.put("status", status).put("field", field).put("message", message);
        headers.forEach((k, v) -> ex.getResponseHeaders().set(k, v));
        try {
            send(ex, status, o);
        } catch (IOException | RuntimeException ignored) {
            // The client went away, or the response was already started: nothing more can be told to it.
        }
    }

    /** Stops accepting requests, answers those in flight (up to the shutdown timeout), then stops. */
    @Override
    public void close() {
        stopping = true;
        server.stop(options.shutdownSeconds());
        executor.shutdown();
        try {
            executor.awaitTermination(options.shutdownSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** An HTTP-level refusal with its status, the part of the request at fault and extra response headers. */
    private static final class HttpError extends RuntimeException {
        final int status;
        final String field;
        final Map<String, String> headers;

        HttpError(int status, String field, String message, Map<String, String> headers) {
            super(message);
            this.status = status;
            this.field = field;
            this.headers = headers;
        }
    }
}
