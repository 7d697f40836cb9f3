package dev.onerec4j.engine.data.read;

import static dev.onerec4j.engine.data.TestFiles.assertUserError;
import static dev.onerec4j.engine.data.TestFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.onerec4j.engine.data.CsvDatasetWriter;
import dev.onerec4j.engine.data.Dataset;
import dev.onerec4j.engine.data.DatasetFormat;
import dev.onerec4j.engine.data.Histories;
import dev.onerec4j.engine.data.Signal;
import dev.onerec4j.engine.data.TestFiles;
import dev.onerec4j.engine.data.UserTable;

class CsvDatasetReaderTest {

    @TempDir
    Path dir;

    private Path fixture() {
        write(dir, "interactions.csv",
                "user,item,timestamp,label,duration,click,play_time",
                "u1,i2,200,1,20,1,15.5",
                "u1,i1,100,0,10,1,",
                "u2,i3,50,,30,0,1",
                "\"u,3\",i1,70,1,,1,2");
        write(dir, "items.csv",
                "item,class,title:text,brand,cat:list,asin:raw,year:num",
                "i1,shoes,\"Red Shoes, size 5\",Acme,Shoes|Running Shoes,B001,1999",
                "i2,,Blue hat,,Hats,,",
                "i9,hats,,,,,");
        write(dir, "users.csv",
                "user,gender,age",
                "u2,F,25",
                "u1,,18");
        return dir;
    }

    @Test
    void readsEveryColumn() {
        Dataset d = DatasetFormat.CSV.read(fixture());
        TestFiles.assertCounts(d, 3, 4, 4);
        assertEquals(List.of("i1", "i2", "i9", "i3"), List.of(d.items().externalId(0), d.items().externalId(1),
                d.items().externalId(2), d.items().externalId(3)), "items.csv order, then first appearance");
        assertEquals(List.of("u2", "u1", "u,3"), List.of(d.users().externalId(0), d.users().externalId(1),
                d.users().externalId(2)));
        assertEquals(List.of("title:red", "title:shoes", "title:size", "title:5", "brand:acme", "cat:shoes",
                "cat:running shoes"), TestFiles.tokens(d.items(), 0));
        assertEquals("Red Shoes, size 5", d.items().text("title", 0));
        assertEquals("B001", d.items().text("asin", 0));
        assertEquals(1999f, d.items().numeric("year", 0));
        assertTrue(Float.isNaN(d.items().numeric("year", 1)));
        assertEquals(10f, d.items().duration(0), "duration from the first interaction with i1");
        assertEquals(30f, d.items().duration(3));
        assertTrue(Float.isNaN(d.items().duration(2)), "i9 has no interaction and no duration");
        assertEquals("shoes", d.items().className(d.items().classLabel(0)));
        assertEquals(-1, d.items().classLabel(1));
        assertEquals(0, d.items().tokenCount(2));

        UserTable.CategoricalFeature gender = d.users().feature("gender");
        assertEquals("F", gender.value(gender.code(0)));
        assertEquals(UserTable.UNKNOWN, gender.code(1));
        assertEquals(UserTable.UNKNOWN, gender.code(2), "u,3 is not in users.csv");
        assertEquals(3, d.users().feature("age").cardinality());

        Histories h = d.histories();
        int u1 = d.users().indexOf("u1");
        assertEquals(List.of("i1", "i2"), TestFiles.historyIds(d, u1), "sorted by timestamp");
        assertEquals(100, h.timestamp(h.start(u1)));
        assertEquals(EnumSet.of(Signal.LABEL, Signal.CLICK, Signal.PLAY_TIME), d.signals());
        assertTrue(Float.isNaN(h.signal(Signal.PLAY_TIME, h.start(u1))));
        assertEquals(15.5f, h.signal(Signal.PLAY_TIME, h.start(u1) + 1));
        assertEquals("positive if label = 1", d.positiveRule().describe());
        assertFalse(h.isPositive(h.start(u1)));
        assertTrue(h.isPositive(h.start(u1) + 1));
        int u2 = d.users().indexOf("u2");
        assertFalse(h.isPositive(h.start(u2)), "empty label is not positive");
        assertEquals(dir.getFileName().toString(), d.name());
    }

    @Test
    void readingWritesNothing() {
        fixture();
        List<Path> before = TestFiles.filesUnder(dir);
        DatasetFormat.CSV.read(dir);
        assertEquals(before, TestFiles.filesUnder(dir));
    }

    @Test
    void writerRoundTripsTheDataSet(@TempDir Path out) {
        Dataset d = DatasetFormat.CSV.read(fixture());
        Path target = out.resolve("copy");
        CsvDatasetWriter.write(d, target, false);
        Dataset back = DatasetFormat.CSV.read(target);
        DatasetEquality.assertSameContent(d, back);
        assertUserError(() -> CsvDatasetWriter.write(d, target, false), "already exists");
        CsvDatasetWriter.write(d, target, true);
        DatasetEquality.assertSameContent(d, DatasetFormat.CSV.read(target));
        assertEquals(3, TestFiles.filesUnder(out).size(), "no temporary files left behind");
    }

    @Test
    void badInputGivesOneLineNamingFileAndLine() {
        assertUserError(() -> DatasetFormat.CSV.read(dir.resolve("absent")), "does not exist");
        assertUserError(() -> DatasetFormat.CSV.read(dir), "missing", "interactions.csv");

        write(dir, "interactions.csv");
        assertUserError(() -> DatasetFormat.CSV.read(dir), "interactions.csv", "empty", "header");

        write(dir, "interactions.csv", "user,item");
        assertUserError(() -> DatasetFormat.CSV.read(dir), "interactions.csv:1:", "'timestamp'");

        write(dir, "interactions.csv", "user,item,timestamp,stars", "a,b,1,5");
        assertUserError(() -> DatasetFormat.CSV.read(dir), "interactions.csv:1:", "'stars'", "rating", "play_time");

        write(dir, "interactions.csv", "user,item,timestamp", "a,b,1", "a,b");
        assertUserError(() -> DatasetFormat.CSV.read(dir), "interactions.csv:3:", "expected 3 fields",
                "found 2");

        write(dir, "interactions.csv", "user,item,timestamp", "a,b,yesterday");
        assertUserError(() -> DatasetFormat.CSV.read(dir), "interactions.csv:2:", "timestamp (an integer)",
                "yesterday");

        write(dir, "interactions.csv", "user,item,timestamp,like", "a,b,1,2");
        assertUserError(() -> DatasetFormat.CSV.read(dir), "interactions.csv:2:", "like as 0 or 1");

        write(dir, "interactions.csv", "user,item,timestamp,rating", "a,b,1,good");
        assertUserError(() -> DatasetFormat.CSV.read(dir), "interactions.csv:2:", "rating (a number)");

        write(dir, "interactions.csv", "user,item,timestamp", "\"a,b,1");
        assertUserError(() -> DatasetFormat.CSV.read(dir), "interactions.csv:2:", "closing double quote");

        write(dir, "interactions.csv", "user,item,timestamp");
        assertUserError(() -> DatasetFormat.CSV.read(dir), "interactions.csv", "no interactions");

        write(dir, "interactions.csv", "user,item,timestamp", "a,b,1");
        write(dir, "items.csv", "item,year:number", "b,1");
        assertUserError(() -> DatasetFormat.CSV.read(dir), "items.csv:1:", "list, text, raw or num");

        write(dir, "items.csv", "item,year:num", "b,1", "b,2");
        assertUserError(() -> DatasetFormat.CSV.read(dir), "items.csv:3:", "listed twice");

        write(dir, "items.csv", "item,year:num", "b,new");
        assertUserError(() -> DatasetFormat.CSV.read(dir), "items.csv:2:", "year:num (a number)");

        write(dir, "items.csv", "item", "b");
        write(dir, "users.csv", "user,gender", "a,F,extra");
        assertUserError(() -> DatasetFormat.CSV.read(dir), "users.csv:2:", "expected 2 fields");
    }
}
