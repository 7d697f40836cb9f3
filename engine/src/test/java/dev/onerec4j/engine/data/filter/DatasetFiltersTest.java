package dev.onerec4j.engine.data.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.onerec4j.engine.data.Dataset;
import dev.onerec4j.engine.data.DatasetBuilder;
import dev.onerec4j.engine.data.PositiveRule;
import dev.onerec4j.engine.data.TestFiles;

class DatasetFiltersTest {

    private static Dataset build(String... histories) {
        DatasetBuilder b = new DatasetBuilder("f");
        b.item("unused");
        for (int u = 0; u < histories.length; u++) {
            int user = b.user("u" + u);
            String[] items = histories[u].isEmpty() ? new String[0] : histories[u].split(" ");
            for (int k = 0; k < items.length; k++) {
                b.addInteraction(user, b.item(items[k]), k);
            }
        }
        return b.build(PositiveRule.all(), DatasetBuilder.Ordering.SORT_BY_TIME);
    }

    @Test
    void minCountsDropUsersAndItems() {
        Dataset d = build("a b c", "a b", "a", "");
        Dataset users = DatasetFilters.minUserInteractions(d, 2);
        assertEquals(2, users.numUsers());
        assertEquals(d.numItems(), users.numItems(), "items untouched");
        Dataset items = DatasetFilters.minItemInteractions(d, 2);
        assertEquals(List.of("a", "b"), List.of(items.items().externalId(0), items.items().externalId(1)));
        assertEquals(List.of("a", "b"), TestFiles.historyIds(items, 0), "c left the history");
        assertEquals(4, items.numUsers(), "users untouched");
        assertEquals(List.of("a", "b", "c"), List.of(DatasetFilters.dropUnusedItems(d).items().externalId(0),
                DatasetFilters.dropUnusedItems(d).items().externalId(1),
                DatasetFilters.dropUnusedItems(d).items().externalId(2)), "\"unused\" leaves the catalogue");
        assertEquals(3, DatasetFilters.dropUnusedItems(d).numItems());
    }

    @Test
    void kCoreIteratesUntilStable() {
        // With k = 2: c, d, e occur once and go; then u2 has one interaction and goes; then x (only u2's) ...
        Dataset d = build("a b c", "a b d", "x e", "a b x");
        Dataset core = DatasetFilters.kCore(d, 2);
        assertEquals(List.of("u0", "u1", "u3"), List.of(core.users().externalId(0), core.users().externalId(1),
                core.users().externalId(2)));
        assertEquals(List.of("a", "b"), List.of(core.items().externalId(0), core.items().externalId(1)),
                "x drops once u2 is gone");
        for (int u = 0; u < core.numUsers(); u++) {
            assertTrue(core.histories().length(u) >= 2);
        }
        int[] counts = core.histories().itemCounts(core.numItems());
        for (int c : counts) {
            assertTrue(c >= 2);
        }
    }

    @Test
    void realBeautyIsAlreadyFiveCore() {
        java.nio.file.Path beauty = TestFiles.SHARED_DATA.resolve("amazon-beauty-2014");
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isDirectory(beauty));
        Dataset d = dev.onerec4j.engine.data.DatasetFormat.AMAZON.read(beauty);
        Dataset core = DatasetFilters.kCore(d, 5);
        TestFiles.assertCounts(core, d.numUsers(), d.numItems(), d.numInteractions());
    }
}
