package dev.onerec4j.engine.serve.http;

import dev.onerec4j.engine.model.config.Architecture;
import dev.onerec4j.engine.serve.RequestBatch;
import dev.onerec4j.engine.serve.Candidate;
import dev.onerec4j.engine.serve.ListSelector;
import dev.onerec4j.engine.serve.Recommender;
import dev.onerec4j.engine.serve.RecommenderOptions;
import dev.onerec4j.engine.serve.ServingFixture;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Shutdown finishes what it accepted: requests queued or decoding when the server and the recommender are closed
 * are all answered 200 (a final-list selector held on a latch keeps them in flight until shutdown has begun), and
 * nothing is accepted afterwards.
 */
class GracefulShutdownTest {

    private static final ServingFixture FX = new ServingFixture(31);
    private static final int REQUESTS = 6;

    @TempDir
    static Path dir;

    /** Keeps the most probable candidates once {@code gate} opens. */
    private record GatedSelector(CountDownLatch gate) implements ListSelector {
        @Override
        public List<List<Candidate>> select(RequestBatch batch, List<List<Candidate>> candidates, int[] k) {
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return ListSelector.identity().select(batch, candidates, k);
        }
    }

    private static int gauge(String metrics, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + " (\\d+)").matcher(metrics);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    @Test
    void requestsInFlightAreAnsweredBeforeTheServerStops() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        Path run = FX.writeRun(dir.resolve("run"), ServingFixture.config(Architecture.V1, 0), 2);
        Recommender rec = Recommender.open(run, RecommenderOptions.defaults().withWorkers(1).withMaxBatchRequests(1)
                .withSelector(new GatedSelector(gate)));
        RecommendServer server = RecommendServer.start(rec, new RecommendServer.Options("127.0.0.1", 0, 1 << 16, 16, 20));
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        URI uri = URI.create("http://127.0.0.1:" + server.port() + Routes.RECOMMEND);
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            String body = "{\"history\": [\"" + FX.dataset.items().externalId(i) + "\"], \"k\": 3}";
            answers.add(client.sendAsync(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(body))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()));
        }
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (true) {
            String m = rec.metrics().render();
            if (gauge(m, "onerec_queue_depth") + gauge(m, "onerec_busy_workers") == REQUESTS) {
                break;
            }
            assertTrue(System.nanoTime() < deadline, "the requests never all reached the decoder:\n" + m);
            Thread.sleep(5);
        }
        Thread closer = Thread.ofPlatform().start(() -> {
            server.close();
            rec.close();
        });
        Thread.sleep(300);
        assertTrue(closer.isAlive(), "shutdown waits for the requests in flight");
        gate.countDown();
        closer.join(30_000);
        for (CompletableFuture<HttpResponse<String>> a : answers) {
            HttpResponse<String> r = a.get();
            assertEquals(200, r.statusCode(), r.body());
            assertTrue(r.body().contains("\"items\":[{"), r.body());
        }
        assertThrows(Exception.class, () -> client.send(HttpRequest.newBuilder(uri)
                .POST(HttpRequest.BodyPublishers.ofString("{}")).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString()), "a stopped server accepts nothing");
    }
}
