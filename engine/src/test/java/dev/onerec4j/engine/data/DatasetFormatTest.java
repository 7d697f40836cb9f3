package dev.onerec4j.engine.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class DatasetFormatTest {

    @Test
    void parsesEveryNameCaseInsensitively() {
        for (DatasetFormat f : DatasetFormat.values()) {
            assertEquals(f, DatasetFormat.parse(f.id()));
            assertEquals(f, DatasetFormat.parse(" " + f.id().toUpperCase(java.util.Locale.ROOT) + " "));
        }
        assertEquals("amazon, ml-1m, ml-100k, kuairand, csv", DatasetFormat.names());
    }

    @Test
    void unknownNameListsTheAcceptedOnes() {
        TestFiles.assertUserError(() -> DatasetFormat.parse("movielens"), "'movielens'",
                "expected one of: amazon, ml-1m, ml-100k, kuairand, csv");
        TestFiles.assertUserError(() -> DatasetFormat.parse(null), "expected one of");
    }
}
