package dev.onerec4j.engine.serve;

import dev.onerec4j.engine.model.config.Architecture;
import dev.onerec4j.engine.model.config.RunConfig;
import dev.onerec4j.engine.sample.ContextBatch;
import dev.onerec4j.engine.serve.beam.BeamResults;
import dev.onerec4j.engine.serve.beam.ItemFilter;
import dev.onerec4j.engine.serve.beam.SessionDecoder;
import dev.onerec4j.engine.serve.beam.TrieBeamSearch;
import dev.onerec4j.engine.train.TrainedRun;
import dev.onerec4j.tensors.GradMode;
import dev.onerec4j.tensors.MemoryScope;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The embeddable API on a run folder alone (no data set): answers equal beam search over the same model loaded the
 * training way; batched answers equal single ones; unknown history items are ignored and reported; exclusions and
 * the history are never returned; cold-start items are recommendable at once and survive a reopen; reload swaps
 * the model.
 */
class RecommenderTest {

    private static final ServingFixture FX = new ServingFixture(7);
    private static final RunConfig CONFIG = ServingFixture.config(Architecture.V1, 0);

    @TempDir
    static Path dir;
    static Path run;

    @BeforeAll
    static void writeRun() throws Exception {
        run = FX.writeRun(dir.resolve("run"), CONFIG, 9);
    }

    private static RecommendRequest request(int user, int k) {
        int len = FX.dataset.histories().length(user) - 1;
        return new RecommendRequest(null, FX.userFeatures(user), FX.history(user, len), k, 0, List.of(), false);
    }

    /** Beam search over the run's model loaded the training way, with the data set's own context. */
    private static BeamResults reference(int[] users, int width) {
        try (TrainedRun trained = TrainedRun.open(run, FX.dataset); var g = GradMode.disabled();
             MemoryScope s = MemoryScope.open("reference")) {
            int[] positions = new int[users.length];
            ItemFilter[] exclude = new ItemFilter[users.length];
            for (int i = 0; i < users.length; i++) {
                positions[i] = FX.dataset.histories().length(users[i]) - 1;
                int[] items = new int[positions[i]];
                for (int p = 0; p < items.length; p++) {
                    items[p] = FX.dataset.histories().item(FX.dataset.histories().row(users[i], p));
                }
                exclude[i] = ItemFilter.of(items);
            }
            ContextBatch batch = trained.contextBuilder().build(users, positions);
            return new TrieBeamSearch().search(new SessionDecoder(trained.oneRec().startDecoding(batch),
                    FX.sids.codebookSizes()), FX.sids.trie(), width, exclude);
        }
    }

    @Test
    void answersEqualTheTrainingPathAndBatchingChangesNothing() throws Exception {
        int[] users = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        int k = 6;
        int width = CONFIG.eval.beamWidth;
        BeamResults expected = reference(users, width);
        RecommenderOptions one = RecommenderOptions.defaults().withWorkers(1);
        try (Recommender rec = Recommender.open(run, one)) {
            List<CompletableFuture<Recommendation>> pending = new ArrayList<>();
            for (int u : users) {
                pending.add(rec.recommendAsync(request(u, k)));
            }
            for (int i = 0; i < users.length; i++) {
                Recommendation r = pending.get(i).get();
                assertEquals(k, r.items().size());
                for (int rank = 0; rank < k; rank++) {
                    RecommendedItem item = r.items().get(rank);
                    assertEquals(FX.dataset.items().externalId(expected.item(i, rank)), item.id(),
                            "user " + users[i] + " rank " + rank);
                    assertEquals(expected.score(i, rank), item.score(), 1e-5);
                    assertArrayEquals(expected.sid(i, rank), item.sid());
                }
                assertTrue(r.unknownHistoryItems().isEmpty());
            }
            assertTrue(rec.metrics().batches() < users.length, "concurrent requests were batched: "
                    + rec.metrics().batches() + " batches for " + users.length + " requests");
        }
    }

    @Test
    void unknownHistoryItemsAreIgnoredAndReported() {
        try (Recommender rec = Recommender.open(run)) {
            RecommendRequest base = request(3, 5);
            List<HistoryEntry> h = new ArrayList<>(base.history());
            h.add(0, new HistoryEntry("no-such-item", h.get(0).timestamp(), java.util.Map.of()));
            Recommendation with = rec.recommend(new RecommendRequest(null, base.userFeatures(), h, 5, 0, List.of(),
                    false));
            Recommendation without = rec.recommend(base);
            assertEquals(List.of("no-such-item"), with.unknownHistoryItems());
            // The same inputs; the pool may split the decoding rows differently, so scores agree to rounding.
            assertEquals(without.items().size(), with.items().size());
            for (int i = 0; i < with.items().size(); i++) {
                assertEquals(without.items().get(i).id(), with.items().get(i).id(), "rank " + i);
                assertArrayEquals(without.items().get(i).sid(), with.items().get(i).sid(), "rank " + i);
                assertEquals(without.items().get(i).score(), with.items().get(i).score(), 1e-5, "rank " + i);
            }
            InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> rec.recommend(
                    RecommendRequest.of(List.of("x", "y"), 5)));
            assertEquals("history", e.field());
        }
    }

    @Test
    void historyAndExclusionsAreNeverReturned() {
        try (Recommender rec = Recommender.open(run)) {
            RecommendRequest r = request(5, 10);
            Recommendation first = rec.recommend(r);
            List<String> excluded = List.of(first.items().get(0).id(), first.items().get(2).id());
            Recommendation second = rec.recommend(r.withExclude(excluded));
            for (RecommendedItem item : second.items()) {
                assertFalse(excluded.contains(item.id()));
                assertFalse(r.history().stream().anyMatch(e -> e.item().equals(item.id())), "history item returned");
            }
            assertEquals(first.items().get(1).id(), second.items().get(0).id());
            assertEquals(10, second.items().stream().map(RecommendedItem::id).distinct().count(), "no duplicates");
        }
    }

    @Test
    void coldStartItemsAreRecommendableAtOnceAndPersist() throws Exception {
        Path copy = dir.resolve("cold");
        copyRun(run, copy);
        int[] freeSid = freeSid();
        String id = "brand-new";
        try (Recommender rec = Recommender.open(copy)) {
            int items = rec.info().items();
            AddedItem added = rec.addItem(NewItem.withSid(id, freeSid));
            assertEquals(items, added.index());
            assertEquals(items + 1, rec.info().items());
            // Every item is reachable with a beam as wide as the catalogue: the new one is among them.
            RecommendRequest all = request(2, items + 1).withBeamWidth(items + 1).keepingHistory(true);
            assertTrue(rec.recommend(all).items().stream().anyMatch(i -> i.id().equals(id)), "new item decodable");
            // It is a known history item too.
            List<HistoryEntry> h = new ArrayList<>(request(2, 5).history());
            h.add(new HistoryEntry(id, h.get(h.size() - 1).timestamp() + 1, java.util.Map.of()));
            Recommendation withNew = rec.recommend(new RecommendRequest(null, java.util.Map.of(), h, 5, 0, List.of(),
                    false));
            assertTrue(withNew.unknownHistoryItems().isEmpty());
            assertThrows(InvalidRequestException.class, () -> rec.addItem(NewItem.withSid(id, freeSid())));
            assertThrows(InvalidRequestException.class, () -> rec.addItem(NewItem.withSid("other", freeSid)));
            assertThrows(InvalidRequestException.class, () -> rec.addItem(NewItem.withSid("bad", 0, 0)));
        }
        try (Recommender reopened = Recommender.open(copy)) {
            assertEquals(FX.dataset.numItems() + 1, reopened.info().items(), "the added item was persisted");
        }
    }

    @Test
    void reloadSwapsTheModel() throws Exception {
        Path copy = dir.resolve("reload");
        copyRun(run, copy);
        try (Recommender rec = Recommender.open(copy)) {
            String before = rec.info().version();
            Recommendation a = rec.recommend(request(1, 5));
            FX.writeRun(copy, CONFIG, 10);
            String after = rec.reload();
            assertNotEquals(before, after);
            assertEquals(after, rec.info().version());
            Recommendation b = rec.recommend(request(1, 5));
            assertEquals(after, b.modelVersion());
            assertNotEquals(a.items(), b.items(), "new weights give new answers");
        }
    }

    @Test
    void reloadsUnderConcurrentRequestsFailNone() throws Exception {
        Path copy = dir.resolve("reload-under-load");
        copyRun(run, copy);
        try (Recommender rec = Recommender.open(copy, RecommenderOptions.defaults().withWorkers(2))) {
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger answered = new AtomicInteger();
            ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            Set<String> versions = ConcurrentHashMap.newKeySet();
            List<Thread> clients = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int user = t;
                clients.add(Thread.ofPlatform().start(() -> {
                    while (!stop.get()) {
                        try {
                            Recommendation r = rec.recommend(request(user, 4));
                            if (r.items().size() != 4) {
                                failures.add(new AssertionError("short answer " + r.items()));
                            }
                            versions.add(r.modelVersion());
                            answered.incrementAndGet();
                        } catch (Throwable e) {
                            failures.add(e);
                        }
                    }
                }));
            }
            for (int i = 0; i < 3; i++) {
                int seen = answered.get();
                while (answered.get() < seen + 8) {
                    Thread.sleep(5);
                }
                rec.reload();
            }
            int seen = answered.get();
            while (answered.get() < seen + 8) {
                Thread.sleep(5);
            }
            stop.set(true);
            for (Thread c : clients) {
                c.join();
            }
            assertTrue(failures.isEmpty(), "failed during reloads: " + failures);
            assertTrue(versions.size() >= 2, "answers came from several model versions: " + versions);
            assertEquals(3, rec.metrics().reloads(), "three reloads counted");
        }
    }

    /** A semantic ID no item has, sharing its first token with existing items. */
    private static int[] freeSid() {
        int[] sizes = FX.sids.codebookSizes();
        for (int a = 0; a < sizes[1]; a++) {
            for (int b = 0; b < sizes[2]; b++) {
                int[] sid = {0, a, b};
                if (FX.sids.item(sid) < 0) {
                    return sid;
                }
            }
        }
        throw new IllegalStateException("no free ID");
    }

    static void copyRun(Path from, Path to) throws Exception {
        try (var walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
