package dev.onerec4j.engine.data.read;

import static dev.onerec4j.engine.data.TestFiles.assertUserError;
import static dev.onerec4j.engine.data.TestFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.onerec4j.engine.data.Dataset;
import dev.onerec4j.engine.data.DatasetFormat;
import dev.onerec4j.engine.data.Histories;
import dev.onerec4j.engine.data.ItemCatalog;
import dev.onerec4j.engine.data.TestFiles;
import dev.onerec4j.engine.data.Vocabulary;

class AmazonReaderTest {

    @TempDir
    Path dir;

    private void fixture() {
        write(dir.resolve("original"), "Toys_and_Games.txt",
                "1 1 2 3",
                "2 4 2",
                "3 5 1 2 6");
        write(dir.resolve("derived"), "Toys_interactions.tsv",
                "user_id\titem_id\ttimestamp",
                "1\t1\t100", "1\t2\t100", "3\t5\t10", "1\t3\t200", "2\t4\t50", "2\t2\t60",
                "3\t1\t20", "3\t2\t20", "3\t6\t30");
        write(dir.resolve("derived"), "Toys_items.tsv",
                "item_id\tasin\ttitle\tattributes",
                "1\tA1\tLego Castle\tLego|Toys|Building",
                "2\tA2\tPuzzle 1000\tToys|Puzzles",
                "3\tA3\t\tHasbro|Toys|Games",
                "4\tA4\tDoll\tMattel|Toys|Dolls",
                "5\tA5\tBall\t[empty-string]|Toys|Sports",
                "6\tA6\tKite\tToys|Outdoor",
                "7\tA7\tNever bought\tAcme|Toys");
        write(dir, "Toys_attributes.tsv", "not a sequence file"); // ignored: only .txt files are candidates
    }

    @Test
    void readsSequencesTimestampsAndContentWithS3RecIds() {
        fixture();
        Dataset d = DatasetFormat.AMAZON.read(dir);
        TestFiles.assertCounts(d, 3, 7, 9);
        assertEquals("Toys_and_Games", d.name());
        for (int i = 0; i < 7; i++) {
            assertEquals(Integer.toString(i + 1), d.items().externalId(i), "item index = S3-Rec id - 1");
        }
        assertEquals(List.of("1", "2", "3"), TestFiles.historyIds(d, 0));
        assertEquals(List.of("4", "2"), TestFiles.historyIds(d, 1));
        assertEquals(List.of("5", "1", "2", "6"), TestFiles.historyIds(d, 2));
        Histories h = d.histories();
        assertEquals(List.of(10L, 20L, 20L, 30L), List.of(h.timestamp(h.row(2, 0)), h.timestamp(h.row(2, 1)),
                h.timestamp(h.row(2, 2)), h.timestamp(h.row(2, 3))));
        assertTrue(d.signals().isEmpty());
        for (int r = 0; r < d.numInteractions(); r++) {
            assertTrue(h.isPositive(r), "implicit feedback: every interaction is positive");
        }
        ItemCatalog items = d.items();
        assertEquals(List.of("title:lego", "title:castle", "brand:lego", "cat:toys", "cat:building"),
                TestFiles.tokens(items, 0));
        assertEquals(List.of("title:puzzle", "title:1000", "cat:toys", "cat:puzzles"), TestFiles.tokens(items, 1),
                "Toys appears later in other lists, so it is a category, not a brand");
        assertEquals(List.of("brand:hasbro", "cat:toys", "cat:games"), TestFiles.tokens(items, 2));
        assertEquals(List.of("title:ball", "cat:toys", "cat:sports"), TestFiles.tokens(items, 4));
        assertEquals("A3", items.text("asin", 2));
        assertEquals("3", items.displayName(2), "no title: the id");
        assertEquals("Lego Castle", items.displayName(0));
        assertEquals("Building", items.className(items.classLabel(0)), "Toys is the root of every item");
        assertEquals("Outdoor", items.className(items.classLabel(5)));
        assertEquals(-1, items.classLabel(6), "only the root category");
        assertEquals(List.of("title:never", "title:bought", "brand:acme", "cat:toys"), TestFiles.tokens(items, 6),
                "in the catalogue though never bought");
    }

    @Test
    void withoutDerivedFilesTimestampsArePositions() {
        Path seq = write(dir, "Toys_and_Games.txt", "1 3 1", "2 2");
        Dataset d = DatasetFormat.AMAZON.read(seq);
        TestFiles.assertCounts(d, 2, 3, 3);
        assertEquals(0, d.histories().timestamp(0));
        assertEquals(1, d.histories().timestamp(1));
        assertEquals(0, d.items().tokenCount(0));
    }

    @Test
    void readingWritesNothing() {
        fixture();
        List<Path> before = TestFiles.filesUnder(dir);
        DatasetFormat.AMAZON.read(dir);
        assertEquals(before, TestFiles.filesUnder(dir));
    }

    @Test
    void badInput() {
        assertUserError(() -> DatasetFormat.AMAZON.read(dir), "no <Name>.txt");
        assertUserError(() -> DatasetFormat.AMAZON.read(dir.resolve("nowhere")), "does not exist");

        Path seq = write(dir, "Toys.txt", "1 1 2", "2 3 x");
        assertUserError(() -> DatasetFormat.AMAZON.read(dir), "Toys.txt:2:", "an item id (an integer)", "\"x\"");
        write(dir, "Toys.txt", "1 1 2", "1 3");
        assertUserError(() -> DatasetFormat.AMAZON.read(seq), "Toys.txt:2:", "appears twice", "line 1");
        write(dir, "Toys.txt", "1 1 2", "2");
        assertUserError(() -> DatasetFormat.AMAZON.read(seq), "Toys.txt:2:", "at least one item id");
        write(dir, "Toys.txt", "1 0 2");
        assertUserError(() -> DatasetFormat.AMAZON.read(seq), "Toys.txt:1:", "ids start at 1");
        write(dir, "Toys.txt", "", "  ");
        assertUserError(() -> DatasetFormat.AMAZON.read(seq), "Toys.txt", "no interactions");

        write(dir, "Toys.txt", "1 1 2", "2 3");
        write(dir, "Toys_interactions.tsv", "user_id\titem_id\ttimestamp", "1\t1\t5", "1\t3\t6", "2\t3\t7");
        assertUserError(() -> DatasetFormat.AMAZON.read(seq), "Toys_interactions.tsv:3:", "item 2",
                "sequence order");
        write(dir, "Toys_interactions.tsv", "user_id\titem_id\ttimestamp", "1\t1\t5", "1\t2\t6");
        assertUserError(() -> DatasetFormat.AMAZON.read(seq), "Toys_interactions.tsv", "user 2 has 0 timestamp rows");
        write(dir, "Toys_interactions.tsv", "user_id\titem_id\ttimestamp", "1\t1\tnoon");
        assertUserError(() -> DatasetFormat.AMAZON.read(seq), "Toys_interactions.tsv:2:", "a unix timestamp");
        write(dir, "Toys_interactions.tsv", "user_id\titem_id", "1\t1");
        assertUserError(() -> DatasetFormat.AMAZON.read(seq), "Toys_interactions.tsv:1:", "'timestamp'");
        write(dir, "Toys_interactions.tsv", "user_id\titem_id\ttimestamp", "1\t1\t5", "1\t2\t6", "2\t3");
        assertUserError(() -> DatasetFormat.AMAZON.read(seq), "Toys_interactions.tsv:4:", "expected 3 fields");

        write(dir, "Toys_interactions.tsv", "user_id\titem_id\ttimestamp", "1\t1\t5", "1\t2\t6", "2\t3\t7");
        write(dir, "Toys_items.tsv", "item_id\tasin\tattributes", "1\tA1");
        assertUserError(() -> DatasetFormat.AMAZON.read(seq), "Toys_items.tsv:2:", "expected 3 fields");
    }

    // ------------------------------------------------------------------ the real data sets

    @Test
    void realBeautyMatchesProvenance() {
        Path beauty = TestFiles.SHARED_DATA.resolve("amazon-beauty-2014");
        assumeTrue(Files.isDirectory(beauty), "Beauty data not present");
        Dataset d = DatasetFormat.AMAZON.read(beauty);
        TestFiles.assertCounts(d, 22_363, 12_101, 198_502);
        assertEquals("Beauty", d.name());
        assertEquals(List.of("1", "2", "3", "4", "5"), TestFiles.historyIds(d, 0), "line '1 1 2 3 4 5'");
        assertEquals(List.of("6", "7", "8", "9", "10", "4", "11"), TestFiles.historyIds(d, 1));
        assertEquals("B004756YJA", d.items().text("asin", 0));
        assertEquals("OPI Nail Lacquer, Simmer and Shimmer, 0.5-Fluid Ounce", d.items().displayName(0));
        assertEquals(List.of("title:opi", "title:nail", "title:lacquer", "title:simmer", "title:and", "title:shimmer",
                "title:0", "title:5", "title:fluid", "title:ounce", "brand:opi", "cat:makeup", "cat:nails",
                "cat:nail polish"), TestFiles.tokens(d.items(), 0));
        Histories h = d.histories();
        TestFiles.assertChronological(h);
        assertEquals(1318896000L, h.timestamp(0));
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        int shortest = Integer.MAX_VALUE;
        for (int u = 0; u < d.numUsers(); u++) {
            shortest = Math.min(shortest, h.length(u));
        }
        for (int r = 0; r < d.numInteractions(); r++) {
            min = Math.min(min, h.timestamp(r));
            max = Math.max(max, h.timestamp(r));
        }
        assertEquals(5, shortest, "5-core");
        assertEquals(1023840000L, min, "2002-06-12");
        assertEquals(1406073600L, max, "2014-07-23");
        int titled = 0;
        for (int i = 0; i < d.numItems(); i++) {
            if (!d.items().text("title", i).isEmpty()) {
                titled++;
            }
        }
        assertEquals(12_101 - 7, titled, "7 items have an empty title");
        Set<String> attributes = new HashSet<>();
        Vocabulary v = d.items().vocabulary();
        for (int t = 0; t < v.size(); t++) {
            String field = Vocabulary.fieldOf(v.token(t));
            if (field.equals("brand") || field.equals("cat")) {
                attributes.add(v.token(t));
            }
        }
        assertTrue(attributes.size() > 600 && attributes.size() <= 637, "637 attribute names, got "
                + attributes.size());
        for (int i = 0; i < d.numItems(); i++) {
            assertTrue(d.items().tokenCount(i) > 0, "every Beauty item has at least one attribute");
        }
        assertEquals("Makeup", d.items().className(d.items().classLabel(0)));
    }

    @Test
    void realBeautyRoundTripsThroughTheCsvFormat(@TempDir Path out) {
        Path beauty = TestFiles.SHARED_DATA.resolve("amazon-beauty-2014");
        assumeTrue(Files.isDirectory(beauty), "Beauty data not present");
        Dataset d = DatasetFormat.AMAZON.read(beauty);
        dev.onerec4j.engine.data.CsvDatasetWriter.write(d, out.resolve("beauty"), false);
        DatasetEquality.assertSameContent(d, DatasetFormat.CSV.read(out.resolve("beauty")));
    }

    @Test
    void realSportsMatchesProvenance() {
        Path sports = TestFiles.SHARED_DATA.resolve("amazon-sports-2014");
        assumeTrue(Files.isDirectory(sports), "Sports data not present");
        Dataset d = DatasetFormat.AMAZON.read(sports);
        TestFiles.assertCounts(d, 35_598, 18_357, 296_337);
        assertEquals("Sports_and_Outdoors", d.name());
        assertEquals(List.of("1", "2", "3", "4", "5", "6", "7", "8"), TestFiles.historyIds(d, 0));
        TestFiles.assertChronological(d.histories());
        assertEquals(1390694400L, d.histories().timestamp(0));
        assertEquals("1881509818", d.items().text("asin", 0));
        assertEquals(List.of("brand:ghost", "cat:sports & outdoors", "cat:hunting & fishing", "cat:hunting",
                "cat:gun maintenance", "cat:gunsmithing tools"), TestFiles.tokens(d.items(), 0));
        assertEquals("Hunting & Fishing", d.items().className(d.items().classLabel(0)),
                "the root 'Sports & Outdoors' is skipped");
        assertTrue(d.items().text("title", 0).isEmpty(), "Sports has no titles");
    }
}
