package dev.onerec4j.engine.data.read;

import static dev.onerec4j.engine.data.TestFiles.assertUserError;
import static dev.onerec4j.engine.data.TestFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.onerec4j.engine.data.Dataset;
import dev.onerec4j.engine.data.DatasetFormat;
import dev.onerec4j.engine.data.Histories;
import dev.onerec4j.engine.data.Signal;
import dev.onerec4j.engine.data.TestFiles;
import dev.onerec4j.engine.data.UserTable;

class MovieLensReaderTest {

    @TempDir
    Path dir;

    // ------------------------------------------------------------------ ML-1M

    private void ml1mFixture() {
        write(dir, "movies.dat", StandardCharsets.ISO_8859_1,
                "1::Toy Story (1995)::Animation|Children's|Comedy",
                "2::Jumanji (1995)::Adventure|Children's|Fantasy",
                "10::Misérables, Les (1995)::Drama|Musical");
        write(dir, "users.dat",
                "1::F::1::10::48067",
                "2::M::56::16::70072");
        write(dir, "ratings.dat",
                "1::2::3::978300760",
                "1::1::5::978300100",
                "2::10::4::978299000",
                "1::10::4::978300100",
                "3::1::2::978000000");
    }

    @Test
    void ml1mReadsRatingsMoviesAndUsers() {
        ml1mFixture();
        Dataset d = DatasetFormat.ML_1M.read(dir);
        TestFiles.assertCounts(d, 3, 3, 5);
        assertEquals(List.of("1", "2", "10"), List.of(d.items().externalId(0), d.items().externalId(1),
                d.items().externalId(2)), "movies.dat order");
        assertEquals(List.of("1", "10", "2"), TestFiles.historyIds(d, 0), "by time; the tie keeps file order");
        assertEquals(EnumSet.of(Signal.RATING), d.signals());
        Histories h = d.histories();
        assertEquals(5f, h.signal(Signal.RATING, h.start(0)));
        assertTrue(h.isPositive(h.start(0)));
        assertFalse(h.isPositive(h.start(0) + 2), "rating 3");
        assertEquals("positive if rating >= 4", d.positiveRule().describe());
        assertEquals(List.of("title:toy", "title:story", "genre:animation", "genre:children's", "genre:comedy"),
                TestFiles.tokens(d.items(), 0));
        assertEquals(List.of("title:misérables", "title:les", "genre:drama", "genre:musical"),
                TestFiles.tokens(d.items(), 2), "latin-1 decoded");
        assertEquals(1995f, d.items().numeric("year", 0));
        assertEquals("Toy Story (1995)", d.items().displayName(0));
        assertEquals("animation", d.items().className(d.items().classLabel(0)));
        UserTable users = d.users();
        assertEquals(List.of("gender", "age", "occupation", "zip_prefix"), List.copyOf(users.featureNames()));
        UserTable.CategoricalFeature occ = users.feature("occupation");
        assertEquals("K-12 student", occ.value(occ.code(0)));
        assertEquals("self-employed", occ.value(occ.code(1)));
        assertEquals("56", users.feature("age").value(users.feature("age").code(1)));
        assertEquals("48", users.feature("zip_prefix").value(users.feature("zip_prefix").code(0)));
        assertEquals(UserTable.UNKNOWN, users.feature("gender").code(2), "user 3 is not in users.dat");
        assertEquals("3", users.externalId(2));
    }

    @Test
    void ml1mBadInput() {
        assertUserError(() -> DatasetFormat.ML_1M.read(dir), "ml-1m", "missing ratings.dat");
        write(dir, "ratings.dat", "1::2::3::978300760", "1::2::3");
        assertUserError(() -> DatasetFormat.ML_1M.read(dir), "ratings.dat:2:", "4 fields", "\"1::2::3\"");
        write(dir, "ratings.dat", "1::2::three::978300760");
        assertUserError(() -> DatasetFormat.ML_1M.read(dir), "ratings.dat:1:", "a rating (a number)", "three");
        write(dir, "ratings.dat", "1::x::3::978300760");
        assertUserError(() -> DatasetFormat.ML_1M.read(dir), "ratings.dat:1:", "an item id (an integer)");
        write(dir, "ratings.dat");
        assertUserError(() -> DatasetFormat.ML_1M.read(dir), "ratings.dat", "no ratings");
        write(dir, "ratings.dat", "1::2::3::978300760");
        write(dir, "users.dat", "1::F::1::10");
        assertUserError(() -> DatasetFormat.ML_1M.read(dir), "users.dat:1:", "5 fields");
        write(dir, "users.dat", "1::F::1::99::48067");
        assertUserError(() -> DatasetFormat.ML_1M.read(dir), "users.dat:1:", "occupation code 0..20");
        write(dir, "users.dat", "1::F::1::1::48067");
        write(dir, "movies.dat", "2::Jumanji (1995)::Adventure", "2::Jumanji (1995)::Adventure");
        assertUserError(() -> DatasetFormat.ML_1M.read(dir), "movies.dat:2:", "listed twice");
    }

    /** The real movies.dat and users.dat with a ratings.dat generated in the official format. */
    @Test
    void ml1mRealSideFilesWithGeneratedRatings() throws IOException {
        Path ml1m = TestFiles.SHARED_DATA.resolve("movielens-1m");
        assumeTrue(Files.isRegularFile(ml1m.resolve("movies.dat")) && Files.isRegularFile(ml1m.resolve("users.dat")),
                "ML-1M side files not present");
        Files.copy(ml1m.resolve("movies.dat"), dir.resolve("movies.dat"));
        Files.copy(ml1m.resolve("users.dat"), dir.resolve("users.dat"));
        SplittableRandom rng = new SplittableRandom(1);
        List<String> lines = new ArrayList<>();
        for (int u = 1; u <= 6040; u += 7) {
            for (int k = 0; k < 20; k++) {
                lines.add(u + "::" + (1 + rng.nextInt(3952)) + "::" + (1 + rng.nextInt(5)) + "::"
                        + (956703932L + rng.nextInt(90_000_000)));
            }
        }
        write(dir, "ratings.dat", lines.toArray(new String[0]));
        Dataset d = DatasetFormat.ML_1M.read(dir);
        assertEquals(6040, d.numUsers());
        assertEquals(lines.size(), d.numInteractions());
        assertTrue(d.numItems() >= 3883, "all 3,883 movies, plus ids that have no movies.dat line");
        assertEquals("Toy Story (1995)", d.items().displayName(0));
        UserTable.CategoricalFeature gender = d.users().feature("gender");
        int female = 0;
        for (int u = 0; u < d.numUsers(); u++) {
            female += gender.value(gender.code(u)).equals("F") ? 1 : 0;
        }
        assertEquals(1709, female, "PROVENANCE: 4,331 M and 1,709 F");
        assertEquals(1 + 7, d.users().feature("age").cardinality(), "7 age buckets + unknown");
        assertEquals(1 + 21, d.users().feature("occupation").cardinality());
        TestFiles.assertChronological(d.histories());
    }

    // ------------------------------------------------------------------ ML-100K

    private void ml100kFixture() {
        write(dir, "u.data", "2\t1\t4\t881250949", "1\t2\t2\t881250000", "1\t1\t5\t881240000");
        String flags = "|0|0|0|1|1|1|0|0|0|0|0|0|0|0|0|0|0|0|0";
        write(dir.resolve("original"), "u.item", StandardCharsets.ISO_8859_1,
                "1|Toy Story (1995)|01-Jan-1995||http://us.imdb.com/M/title-exact?Toy%20Story%20(1995)" + flags,
                "2|unknown|02-Mar-1997||" + flags.replace("|1|1|1", "|0|0|0"),
                "3|Café|||" + "|1" + "|0".repeat(18));
        write(dir.resolve("original"), "u.user", "1|24|M|technician|85711", "2|53|F|other|94043");
    }

    @Test
    void ml100kReadsAllFiles() {
        ml100kFixture();
        Dataset d = DatasetFormat.ML_100K.read(dir);
        TestFiles.assertCounts(d, 2, 3, 3);
        assertEquals(List.of("1", "2"), TestFiles.historyIds(d, 0));
        assertEquals(List.of("title:toy", "title:story", "genre:animation", "genre:children's", "genre:comedy"),
                TestFiles.tokens(d.items(), 0));
        assertEquals(1995f, d.items().numeric("year", 0));
        assertEquals(1997f, d.items().numeric("year", 1), "from the release date");
        assertEquals(List.of("title:unknown"), TestFiles.tokens(d.items(), 1));
        assertEquals("unknown", d.items().className(d.items().classLabel(2)));
        assertEquals("18", d.users().feature("age").value(d.users().feature("age").code(0)), "24 -> 18-24");
        assertEquals("50", d.users().feature("age").value(d.users().feature("age").code(1)), "53 -> 50-55");
        assertEquals("technician", d.users().feature("occupation").value(d.users().feature("occupation").code(0)));
        assertEquals(4f, d.histories().signal(Signal.RATING, d.histories().start(1)));
    }

    @Test
    void ml100kBadInput() {
        assertUserError(() -> DatasetFormat.ML_100K.read(dir), "missing u.data");
        write(dir, "u.data", "1\t2\t3");
        assertUserError(() -> DatasetFormat.ML_100K.read(dir), "u.data:1:", "4 tab-separated fields");
        write(dir, "u.data", "1\t2\t3\t881250949");
        write(dir, "u.item", "1|Toy Story (1995)|01-Jan-1995||url|0|1");
        assertUserError(() -> DatasetFormat.ML_100K.read(dir), "u.item:1:", "expected 24 fields", "found 7");
        write(dir, "u.item", "1|Toy Story (1995)|01-Jan-1995||url|0|0|0|1|1|1|0|0|0|0|0|0|0|0|0|0|0|0|2");
        assertUserError(() -> DatasetFormat.ML_100K.read(dir), "u.item:1:", "genre flag 0 or 1 for Western");
        write(dir, "u.item", "1|Toy Story (1995)|01-Jan-1995||url|0|0|0|1|1|1|0|0|0|0|0|0|0|0|0|0|0|0|0");
        write(dir, "u.user", "1|old|M|technician|85711");
        assertUserError(() -> DatasetFormat.ML_100K.read(dir), "u.user:1:", "an age in years (an integer)");
    }

    @Test
    void ml100kRealDataMatchesProvenance() {
        Path ml = TestFiles.SHARED_DATA.resolve("movielens-100k");
        assumeTrue(Files.isDirectory(ml), "ML-100K not present");
        List<Path> before = TestFiles.filesUnder(ml);
        Dataset d = DatasetFormat.ML_100K.read(ml);
        TestFiles.assertCounts(d, 943, 1682, 100_000);
        assertEquals(before, TestFiles.filesUnder(ml), "reading wrote nothing");
        TestFiles.assertChronological(d.histories());
        int positives = 0;
        for (int r = 0; r < d.numInteractions(); r++) {
            positives += d.histories().isPositive(r) ? 1 : 0;
        }
        assertEquals(55_375, positives, "ratings >= 4 in u.data");
        for (int u = 0; u < d.numUsers(); u++) {
            assertTrue(d.histories().length(u) >= 20, "every user has at least 20 ratings");
        }
        assertEquals("196", d.users().externalId(195), "users in u.user order");
        assertEquals(1 + 21, d.users().feature("occupation").cardinality());
        assertEquals(1 + 2, d.users().feature("gender").cardinality());
        assertEquals("Toy Story (1995)", d.items().displayName(0));
        assertEquals(19, d.items().numClasses());
        long first = Long.MAX_VALUE;
        for (int r = 0; r < d.numInteractions(); r++) {
            first = Math.min(first, d.histories().timestamp(r));
        }
        assertEquals(874724710L, first, "1997-09-20 UTC");

        // Titles keep their year but their tokens do not: the writer falls back to list + raw columns.
        dev.onerec4j.engine.data.CsvDatasetWriter.write(d, dir.resolve("ml"), false);
        Dataset back = DatasetFormat.CSV.read(dir.resolve("ml"));
        DatasetEquality.assertSameContent(d, back);
        assertEquals("positive if rating >= 4", back.positiveRule().describe());
    }
}
