package dev.onerec4j.engine.tokenizer;

import dev.onerec4j.engine.UserException;
import dev.onerec4j.engine.data.Dataset;
import dev.onerec4j.engine.tokenizer.store.Manifest;
import dev.onerec4j.engine.tokenizer.store.SidMaps;
import dev.onerec4j.engine.tokenizer.store.TokenizerFolder;
import dev.onerec4j.engine.tokenizer.store.TokenizerWriter;
import dev.onerec4j.tensors.MemoryScope;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Writing, reloading and growing a tokenizer folder. */
class TokenizerFolderTest {

    @TempDir
    static Path tmp;
    private static TokenizerPipeline.Built built;
    private static Path folder;

    @BeforeAll
    static void write() {
        built = TokenizerPipeline.build(SmallWorld.dataset(), SmallWorld.settings(3), false, Progress.NONE);
        folder = tmp.resolve("tok");
        TokenizerWriter.write(folder, built, false);
    }

    private static List<String> leftovers(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.contains(".tmp-") || n.contains(".old-")).toList();
        }
    }

    @Test
    void reloadsEverything() throws IOException {
        for (String f : List.of(Manifest.FILE, TokenizerFolder.ENCODER, TokenizerFolder.QUANTIZER,
                TokenizerFolder.ITEM_EMBEDDINGS, TokenizerFolder.METRICS, TokenizerFolder.CODE_USAGE, SidMaps.TRIE,
                SidMaps.ITEM_TO_SID, SidMaps.SID_TO_ITEM, SidMaps.ITEM_INDEX)) {
            assertTrue(Files.size(folder.resolve(f)) > 0, f);
        }
        assertTrue(leftovers(tmp).isEmpty(), "no temporary folders left: " + leftovers(tmp));
        try (Tokenizer tok = Tokenizer.load(folder); MemoryScope s = MemoryScope.open("test")) {
            assertArrayEquals(built.sids(), tok.semanticIds().allSids());
            assertArrayEquals(built.embeddings(), tok.itemEmbeddings().toFloatArray());
            assertEquals(built.items(), tok.itemCount());
            Dataset ds = SmallWorld.dataset();
            assertEquals(17, tok.itemIndex(ds.items().externalId(17)));
            assertArrayEquals(built.quantizer().codebooks().codebook(1), tok.codebooks().codebook(1));
            // The frozen encoder reproduces the stored embedding of a catalogue item from its features.
            ItemFeatures f = ItemFeatures.fromTokens("copy", tokens(ds, 17))
                    .withNumeric("duration", ds.items().duration(17));
            float[] again = tok.embed(f);
            float[] stored = tok.itemEmbedding(17);
            for (int j = 0; j < stored.length; j++) {
                assertEquals(stored[j], again[j], 1e-5);
            }
            // The persisted trie holds exactly the in-memory trie's prefixes.
            SidTrie trie = tok.semanticIds().trie();
            int[] prefix = new int[3];
            assertEquals(countInner(trie), tok.maps().triePrefixes());
            checkTrie(trie, tok.maps(), 0, prefix);
            int[] sid = tok.semanticIds().sid(5);
            assertEquals(ds.items().externalId(5), tok.maps().itemOf(sid));
            assertArrayEquals(sid, tok.maps().sidOf(ds.items().externalId(5)));
        }
    }

    private static List<String> tokens(Dataset ds, int item) {
        int[] ids = ds.items().tokens(item);
        return Arrays.stream(ids).mapToObj(t -> ds.items().vocabulary().token(t)).toList();
    }

    private static int countInner(SidTrie trie) {
        int n = 0;
        for (int node = 0; node < trie.nodeCount(); node++) {
            n += trie.depth(node) < trie.levels() ? 1 : 0;
        }
        return n;
    }

    private static void checkTrie(SidTrie trie, SidMaps maps, int node, int[] prefix) {
        int depth = trie.depth(node);
        if (depth == trie.levels()) {
            return;
        }
        int[] expected = new int[trie.childCount(node)];
        for (int p = trie.childrenStart(node); p < trie.childrenEnd(node); p++) {
            expected[p - trie.childrenStart(node)] = trie.tokenAt(p);
        }
        assertArrayEquals(expected, maps.nextTokens(prefix, depth), "children of " + Arrays.toString(Arrays.copyOf(prefix, depth)));
        for (int p = trie.childrenStart(node); p < trie.childrenEnd(node); p++) {
            prefix[depth] = trie.tokenAt(p);
            checkTrie(trie, maps, trie.childAt(p), prefix);
        }
    }

    @Test
    void aColdStartItemIsDecodableAtOnceAndAfterReloading() {
        Path copy = tmp.resolve("cold");
        TokenizerWriter.write(copy, built, false);
        Dataset ds = SmallWorld.dataset();
        // A new item with the content of item 11: same cluster, so it should land next to it.
        ItemFeatures f = ItemFeatures.fromTokens("new-item", tokens(ds, 11));
        int[] sid;
        int index;
        try (Tokenizer tok = Tokenizer.load(copy)) {
            sid = tok.addItem(f);
            index = tok.itemCount() - 1;
            assertEquals(built.items(), index);
            assertDecodable(tok, sid, index);
            assertEquals(built.sids()[11 * 3], sid[0], "same content, same first token");
            assertFalse(Arrays.equals(sid, tok.semanticIds().sid(11)), "the taken ID was not reused");
            UserException dup = assertThrows(UserException.class, () -> tok.addItem(f));
            assertTrue(dup.getMessage().contains("already has"), dup.getMessage());
            UserException unknown = assertThrows(UserException.class,
                    () -> tok.addItem(ItemFeatures.of("x").withText("title", "zzzz qqqq")));
            assertTrue(unknown.getMessage().contains("vocabulary"), unknown.getMessage());
        }
        try (Tokenizer tok = Tokenizer.load(copy)) {
            assertEquals(index, tok.itemIndex("new-item"));
            assertArrayEquals(sid, tok.semanticIds().sid(index));
            assertDecodable(tok, sid, index);
            assertEquals(0, tok.repairedTrieEntries());
            assertEquals(built.items() + 1, tok.itemCount());
        }
    }

    private static void assertDecodable(Tokenizer tok, int[] sid, int index) {
        SidTrie trie = tok.semanticIds().trie();
        int node = trie.find(sid, sid.length);
        assertTrue(node >= 0, "the new ID is in the trie");
        assertEquals(index, trie.item(node));
        assertEquals(index, tok.semanticIds().item(sid));
        assertEquals("new-item", tok.maps().itemOf(sid));
        for (int d = 0; d < sid.length; d++) {
            int[] next = tok.maps().nextTokens(sid, d);
            assertTrue(Arrays.binarySearch(next, sid[d]) >= 0, "persisted trie allows token " + d);
        }
    }

    @Test
    void aFailedWriteLeavesNothingAndAnExistingFolderIsKeptWithoutOverwrite() throws IOException {
        Path out = tmp.resolve("failed");
        assertThrows(IllegalStateException.class, () -> TokenizerFolder.writeAtomically(out, false, dir -> {
            try {
                Files.writeString(dir.resolve("half.txt"), "half");
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            throw new IllegalStateException("disk full");
        }));
        assertFalse(Files.exists(out));
        assertTrue(leftovers(tmp).isEmpty());
        UserException e = assertThrows(UserException.class, () -> TokenizerWriter.write(folder, built, false));
        assertTrue(e.getMessage().contains("--overwrite"), e.getMessage());
        Path replaced = tmp.resolve("replaced");
        TokenizerWriter.write(replaced, built, false);
        TokenizerWriter.write(replaced, built, true);
        assertTrue(Files.isRegularFile(replaced.resolve(Manifest.FILE)));
        assertTrue(leftovers(tmp).isEmpty());
    }

    @Test
    void loadingABrokenFolderNamesTheProblem() throws IOException {
        UserException missing = assertThrows(UserException.class, () -> Tokenizer.load(tmp.resolve("nope")));
        assertTrue(missing.getMessage().contains("nope"), missing.getMessage());
        Path broken = Files.createDirectories(tmp.resolve("broken"));
        UserException noManifest = assertThrows(UserException.class, () -> Tokenizer.load(broken));
        assertTrue(noManifest.getMessage().contains("manifest.json"), noManifest.getMessage());
        Files.writeString(broken.resolve(Manifest.FILE), "{ not json");
        UserException bad = assertThrows(UserException.class, () -> Tokenizer.load(broken));
        assertTrue(bad.getMessage().contains("manifest.json") && bad.getMessage().contains("not a valid"), bad.getMessage());
    }
}
