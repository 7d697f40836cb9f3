package dev.onerec4j.engine.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class DatasetBuilderTest {

    private static Dataset small() {
        DatasetBuilder b = new DatasetBuilder("small");
        int a = b.item("A");
        int c = b.item("C");
        b.addText(a, "title", "OPI Nail Lacquer, Children's  5-Pack");
        b.addToken(a, "brand", "  OPI ");
        b.addToken(a, "cat", "Nail   Polish");
        b.addToken(a, "cat", "nail polish"); // duplicate after normalisation
        b.addToken(c, "cat", "Nail Polish");
        b.setNumeric(c, ItemCatalog.DURATION, 12.5f);
        b.setClass(c, "nails");
        int empty = b.item("E"); // no content at all
        int u1 = b.user("u1");
        int u2 = b.user("u2");
        b.setUserFeature(u1, "gender", "F");
        b.setUserFeature(u2, "gender", "");
        // u1's interactions arrive out of time order; two share a timestamp.
        int r0 = b.addInteraction(u1, c, 30);
        int r1 = b.addInteraction(u1, a, 10);
        int r2 = b.addInteraction(u2, empty, 5);
        int r3 = b.addInteraction(u1, empty, 30);
        b.setSignal(r0, Signal.LIKE, 1);
        b.setSignal(r1, Signal.PLAY_TIME, 3f);
        b.setSignal(r2, Signal.LIKE, 0);
        b.setSignal(r3, Signal.PLAY_TIME, 7f);
        return b.build(PositiveRule.anyOf(EnumSet.of(Signal.LIKE)).orPlayFractionAtLeast(0.5),
                DatasetBuilder.Ordering.SORT_BY_TIME);
    }

    @Test
    void buildsColumnsWithDenseIndicesInRegistrationOrder() {
        Dataset d = small();
        assertEquals(3, d.numItems());
        assertEquals(List.of("A", "C", "E"), List.of(d.items().externalId(0), d.items().externalId(1),
                d.items().externalId(2)));
        assertEquals(1, d.items().indexOf("C"));
        assertEquals(-1, d.items().indexOf("nope"));
        assertEquals(List.of("title:opi", "title:nail", "title:lacquer", "title:children", "title:5", "title:pack",
                "brand:opi", "cat:nail polish"), TestFiles.tokens(d.items(), 0));
        assertEquals(List.of("cat:nail polish"), TestFiles.tokens(d.items(), 1));
        assertEquals(0, d.items().tokenCount(2), "an item without content is kept with no tokens");
        Vocabulary v = d.items().vocabulary();
        assertEquals(2, v.frequency(v.id("cat:nail polish")), "document frequency counts each item once");
        assertEquals(1, v.frequency(v.id("brand:opi")));
        assertEquals("cat", Vocabulary.fieldOf("cat:nail polish"));
        assertEquals(12.5f, d.items().duration(1));
        assertTrue(Float.isNaN(d.items().duration(0)));
        assertEquals(-1, d.items().classLabel(0));
        assertEquals("nails", d.items().className(d.items().classLabel(1)));
        assertEquals("OPI Nail Lacquer, Children's  5-Pack", d.items().displayName(0));
        assertEquals("C", d.items().displayName(1));
    }

    @Test
    void sortsHistoriesStablyByTimeAndKeepsSignals() {
        Dataset d = small();
        Histories h = d.histories();
        assertEquals(List.of("A", "C", "E"), TestFiles.historyIds(d, 0), "time 10, then the two at 30 in file order");
        assertArrayEquals(new long[] {10, 30, 30},
                new long[] {h.timestamp(0), h.timestamp(1), h.timestamp(2)});
        assertEquals(EnumSet.of(Signal.LIKE, Signal.PLAY_TIME), h.signals());
        assertTrue(Float.isNaN(h.signal(Signal.LIKE, 0)), "absent signal is NaN");
        assertEquals(3f, h.signal(Signal.PLAY_TIME, 0));
        assertEquals(1f, h.signal(Signal.LIKE, 1));
        assertTrue(Float.isNaN(h.signal(Signal.RATING, 1)), "a signal the data set lacks reads NaN");
        assertFalse(h.isPositive(0), "play 3 s of an item with unknown duration");
        assertTrue(h.isPositive(1), "like = 1");
        assertFalse(h.isPositive(2), "play time but no duration");
        assertEquals(1, h.length(1));
        assertFalse(h.isPositive(h.start(1)), "like = 0");
    }

    @Test
    void userFeaturesCodeUnknownAsZero() {
        Dataset d = small();
        UserTable.CategoricalFeature g = d.users().feature("gender");
        assertEquals(2, g.cardinality(), "<unknown> and F");
        assertEquals("F", g.value(g.code(0)));
        assertEquals(UserTable.UNKNOWN, g.code(1));
        assertThrows(IllegalArgumentException.class, () -> d.users().feature("age"));
    }

    @Test
    void withPositiveRuleRecomputesFlags() {
        Dataset d = small().withPositiveRule(PositiveRule.all());
        for (int r = 0; r < d.numInteractions(); r++) {
            assertTrue(d.histories().isPositive(r));
        }
        assertEquals("every interaction is positive", d.positiveRule().describe());
    }

    @Test
    void selectReindexesAndRebuildsTheVocabulary() {
        Dataset d = small().select(new int[] {0}, new int[] {2, 1});
        assertEquals(List.of("E", "C"), List.of(d.items().externalId(0), d.items().externalId(1)));
        assertEquals(List.of("C", "E"), TestFiles.historyIds(d, 0), "item A left the history");
        assertEquals(1, d.items().vocabulary().size(), "only cat:nail polish is still used");
        assertEquals(1, d.items().vocabulary().frequency(0));
        assertEquals(12.5f, d.items().duration(1));
        assertEquals(1f, d.histories().signal(Signal.LIKE, 0));
        assertTrue(d.histories().isPositive(0));
    }

    @Test
    void stableSortMatchesAReferenceSort() {
        SplittableRandom rng = new SplittableRandom(3);
        for (int trial = 0; trial < 50; trial++) {
            int n = 1 + rng.nextInt(200);
            long[] keys = new long[n];
            int[] idx = new int[n];
            for (int i = 0; i < n; i++) {
                keys[i] = rng.nextInt(10);
                idx[i] = i;
            }
            StableSort.byKey(idx, 0, n, keys, new int[n]);
            Integer[] expected = new Integer[n];
            for (int i = 0; i < n; i++) {
                expected[i] = i;
            }
            java.util.Arrays.sort(expected, (x, y) -> Long.compare(keys[x], keys[y]));
            for (int i = 0; i < n; i++) {
                assertEquals(expected[i].intValue(), idx[i]);
            }
        }
    }

    @Test
    void wordTokenizerSplitsOnNonAlphanumerics() {
        assertEquals(List.of("children", "5", "pack", "über", "x2"), WordTokenizer.words("Children's 5-pack ÜBER, X2!"));
        assertEquals("nail polish", WordTokenizer.normalizeValue("  Nail \t Polish "));
    }

    @Test
    void positiveRuleDefaultsAndDescriptions() {
        assertEquals("positive if rating >= 4",
                PositiveRule.defaultFor(EnumSet.of(Signal.RATING, Signal.CLICK), false).describe());
        assertEquals("positive if label = 1", PositiveRule.defaultFor(EnumSet.of(Signal.LABEL, Signal.RATING),
                true).describe());
        assertEquals("positive if like = 1 or play_time >= 0.5 x duration",
                PositiveRule.defaultFor(EnumSet.of(Signal.LIKE, Signal.PLAY_TIME, Signal.CLICK), true).describe());
        assertEquals("positive if like = 1",
                PositiveRule.defaultFor(EnumSet.of(Signal.LIKE, Signal.PLAY_TIME), false).describe());
        assertTrue(PositiveRule.defaultFor(EnumSet.of(Signal.CLICK), true).everything());
        assertThrows(IllegalArgumentException.class, () -> PositiveRule.anyOf(EnumSet.of(Signal.RATING)));
        float[] v = new float[Signal.values().length];
        java.util.Arrays.fill(v, Float.NaN);
        v[Signal.RATING.ordinal()] = 4;
        assertTrue(PositiveRule.ratingAtLeast(4).test(v, Float.NaN));
        v[Signal.RATING.ordinal()] = 3.5f;
        assertFalse(PositiveRule.ratingAtLeast(4).test(v, Float.NaN));
    }
}
