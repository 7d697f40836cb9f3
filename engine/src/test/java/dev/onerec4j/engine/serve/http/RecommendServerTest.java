package dev.onerec4j.engine.serve.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.onerec4j.engine.model.config.Architecture;
import dev.onerec4j.engine.serve.RecommendRequest;
import dev.onerec4j.engine.serve.Recommendation;
import dev.onerec4j.engine.serve.Recommender;
import dev.onerec4j.engine.serve.RecommenderOptions;
import dev.onerec4j.engine.serve.ServingFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The HTTP API on loopback: answers equal the embedded API's; the other endpoints; cold start over HTTP; 10,000
 * generated bad requests each get a 4xx with a JSON error naming the field (never a 5xx) and the server then still
 * answers a valid request correctly.
 */
class RecommendServerTest {

    private static final ServingFixture FX = new ServingFixture(21);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_BODY = 64 * 1024;

    @TempDir
    static Path dir;
    static Recommender recommender;
    static RecommendServer server;
    static HttpClient client;

    @BeforeAll
    static void start() throws Exception {
        Path run = FX.writeRun(dir.resolve("run"), ServingFixture.config(Architecture.V2, 0), 4);
        recommender = Recommender.open(run, RecommenderOptions.defaults().withWorkers(2));
        server = RecommendServer.start(recommender, new RecommendServer.Options("127.0.0.1", 0, MAX_BODY, 16, 10));
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    @AfterAll
    static void stop() {
        server.close();
        recommender.close();
    }

    static HttpResponse<String> call(String method, String path, String body) throws Exception {
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body);
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .method(method, publisher).header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                .build();
        return client.send(req, HttpResponse.BodyHandlers.ofString());
    }

    private static String validBody(int user) {
        StringBuilder h = new StringBuilder();
        var hist = FX.history(user, FX.dataset.histories().length(user) - 1);
        for (int i = 0; i < hist.size(); i++) {
            var e = hist.get(i);
            h.append(i == 0 ? "" : ",").append("{\"item\":\"").append(e.item()).append("\",\"timestamp\":")
                    .append(e.timestamp()).append(",\"feedback\":{");
            int j = 0;
            for (var f : e.feedback().entrySet()) {
                h.append(j++ == 0 ? "" : ",").append('"').append(f.getKey()).append("\":").append(f.getValue());
            }
            h.append("}}");
        }
        StringBuilder uf = new StringBuilder();
        int j = 0;
        for (var f : FX.userFeatures(user).entrySet()) {
            uf.append(j++ == 0 ? "" : ",").append('"').append(f.getKey()).append("\":\"").append(f.getValue())
                    .append('"');
        }
        return "{\"history\":[" + h + "],\"userFeatures\":{" + uf + "},\"k\":7}";
    }

    private static RecommendRequest embedded(int user) {
        return new RecommendRequest(null, FX.userFeatures(user), FX.history(user,
                FX.dataset.histories().length(user) - 1), 7, 0, List.of(), false);
    }

    private static void assertSameAnswer(Recommendation expected, JsonNode actual) {
        JsonNode items = actual.get("items");
        assertEquals(expected.items().size(), items.size());
        for (int i = 0; i < items.size(); i++) {
            assertEquals(expected.items().get(i).id(), items.get(i).get("id").asText(), "rank " + i);
            // Equal to rounding: the worker pool may split the decoding rows differently between two requests.
            assertEquals(expected.items().get(i).score(), items.get(i).get("score").asDouble(), 1e-5, "rank " + i);
        }
    }

    @Test
    void recommendAnswersLikeTheEmbeddedApi() throws Exception {
        for (int user : new int[] {0, 5, 9}) {
            HttpResponse<String> r = call("POST", Routes.RECOMMEND, validBody(user));
            assertEquals(200, r.statusCode(), r.body());
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
            assertSameAnswer(recommender.recommend(embedded(user)), JSON.readTree(r.body()));
        }
        HttpResponse<String> unknown = call("POST", Routes.RECOMMEND,
                "{\"history\": [\"" + FX.dataset.items().externalId(3) + "\", \"nope\", 123456], \"k\": 3}");
        assertEquals(200, unknown.statusCode(), unknown.body());
        JsonNode u = JSON.readTree(unknown.body());
        assertEquals("[\"nope\",\"123456\"]", u.get("unknownHistoryItems").toString());
        assertEquals(3, u.get("items").size());
    }

    @Test
    void otherEndpoints() throws Exception {
        HttpResponse<String> health = call("GET", Routes.HEALTH, null);
        assertEquals(200, health.statusCode());
        assertEquals("ok", JSON.readTree(health.body()).get("status").asText());
        HttpResponse<String> model = call("GET", Routes.MODEL, null);
        assertEquals(200, model.statusCode());
        assertEquals("v2", JSON.readTree(model.body()).get("architecture").asText());
        call("POST", Routes.RECOMMEND, validBody(1));
        HttpResponse<String> metrics = call("GET", Routes.METRICS, null);
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
        String text = metrics.body();
        for (String line : new String[] {"# TYPE onerec_requests_total counter",
                "onerec_requests_total{endpoint=\"/v1/recommend\",status=\"200\"}",
                "# TYPE onerec_request_duration_seconds histogram",
                "onerec_request_duration_seconds_bucket{endpoint=\"/v1/recommend\",le=\"+Inf\"}",
                "onerec_batch_requests_bucket{le=\"1\"}", "onerec_batch_beams_count", "onerec_errors_total 0",
                "onerec_queue_depth", "onerec_busy_workers"}) {
            assertTrue(text.contains(line), "metrics lack " + line + ":\n" + text);
        }
        for (String line : text.split("\n")) {
            assertTrue(line.startsWith("#") || line.matches("[a-z_]+(\\{[^}]*\\})? [-0-9.e+]+"),
                    "not Prometheus text: " + line);
        }
    }

    @Test
    void coldStartItemOverHttp() throws Exception {
        int[] sizes = FX.sids.codebookSizes();
        String sid = null;
        for (int a = 0; a < sizes[1] && sid == null; a++) {
            for (int b = 0; b < sizes[2] && sid == null; b++) {
                if (FX.sids.item(new int[] {1, a, b}) < 0) {
                    sid = "[1, " + a + ", " + b + "]";
                }
            }
        }
        HttpResponse<String> added = call("POST", Routes.ITEMS, "{\"id\": \"fresh\", \"sid\": " + sid
                + ", \"title\": \"A fresh item\", \"duration\": 30}");
        assertEquals(201, added.statusCode(), added.body());
        assertEquals(FX.dataset.numItems(), JSON.readTree(added.body()).get("index").asInt());
        HttpResponse<String> again = call("POST", Routes.ITEMS, "{\"id\": \"fresh\", \"sid\": " + sid + "}");
        assertEquals(409, again.statusCode(), again.body());
        int all = FX.dataset.numItems() + 1;
        HttpResponse<String> r = call("POST", Routes.RECOMMEND, "{\"history\": [\"" + FX.dataset.items().externalId(0)
                + "\"], \"k\": " + all + ", \"beamWidth\": " + all + ", \"keepHistory\": true}");
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.body().contains("\"id\":\"fresh\""), "the new item is recommendable");
        assertTrue(r.body().contains("\"title\":\"A fresh item\""));
    }

    @Test
    void coldStartItemByFeaturesThroughTheFrozenTokenizer() throws Exception {
        HttpResponse<String> added = call("POST", Routes.ITEMS,
                "{\"id\": \"by-features\", \"features\": {\"numeric\": {\"duration\": 42}}, \"title\": \"Cold\"}");
        assertEquals(201, added.statusCode(), added.body());
        JsonNode sid = JSON.readTree(added.body()).get("sid");
        assertEquals(FX.sids.levels(), sid.size(), added.body());
        int[] codes = new int[sid.size()];
        for (int l = 0; l < codes.length; l++) {
            codes[l] = sid.get(l).asInt();
        }
        assertTrue(FX.sids.item(codes) < 0, "the new ID is free, not a trained item's: " + added.body());
        int all = recommender.info().items();
        HttpResponse<String> r = call("POST", Routes.RECOMMEND, "{\"history\": [\"by-features\", \""
                + FX.dataset.items().externalId(1) + "\"], \"k\": " + all + ", \"beamWidth\": " + all
                + ", \"keepHistory\": true}");
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.body().contains("\"id\":\"by-features\""), "the new item is recommendable: " + r.body());
        assertFalse(r.body().contains("unknownHistoryItems\":[\"by-features"), "usable in histories: " + r.body());
    }

    @Test
    void tenThousandBadRequestsGetFieldNamedErrorsAndNeverHurtTheServer() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < FX.dataset.numItems(); i++) {
            ids.add(FX.dataset.items().externalId(i));
        }
        Recommendation before = recommender.recommend(embedded(4));
        BadRequests generator = new BadRequests(99, ids, MAX_BODY);
        List<BadRequests.Bad> bad = generator.generate(10_000);
        ConcurrentHashMap<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            int chunk = bad.size() / 4;
            for (int t = 0; t < 4; t++) {
                List<BadRequests.Bad> part = bad.subList(t * chunk, t == 3 ? bad.size() : (t + 1) * chunk);
                done.add(pool.submit(() -> {
                    for (BadRequests.Bad b : part) {
                        check(b, statuses);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        assertFalse(statuses.keySet().stream().anyMatch(s -> s >= 500), "5xx answers: " + statuses);
        assertTrue(statuses.containsKey(400) && statuses.containsKey(404) && statuses.containsKey(405)
                && statuses.containsKey(409) && statuses.containsKey(413), "all kinds of refusal seen: " + statuses);
        HttpResponse<String> after = call("POST", Routes.RECOMMEND, validBody(4));
        assertEquals(200, after.statusCode(), after.body());
        assertSameAnswer(before, JSON.readTree(after.body()));
        assertEquals(0, recommender.metrics().count(Routes.RECOMMEND, 500));
    }

    private static void check(BadRequests.Bad b, ConcurrentHashMap<Integer, AtomicInteger> statuses) throws Exception {
        HttpResponse<String> r = call(b.method(), b.path(), b.body());
        statuses.computeIfAbsent(r.statusCode(), x -> new AtomicInteger()).incrementAndGet();
        String what = b.method() + " " + b.path() + " " + (b.body() == null ? "" : b.body().length() > 300
                ? b.body().substring(0, 300) + "…" : b.body());
        if (r.statusCode() < 400 || r.statusCode() >= 500) {
            fail("expected a 4xx for " + what + ", got " + r.statusCode() + ": " + r.body());
        }
        JsonNode error = JSON.readTree(r.body()).get("error");
        if (error == null || !error.has("field") || !error.has("message")) {
            fail("no JSON error for " + what + ": " + r.body());
        }
        String field = error.get("field").asText();
        if (!(field.equals(b.field()) || field.startsWith(b.field()) || field.matches(b.field()))) {
            fail("error for " + what + " names '" + field + "', expected '" + b.field() + "': " + r.body());
        }
    }
}
