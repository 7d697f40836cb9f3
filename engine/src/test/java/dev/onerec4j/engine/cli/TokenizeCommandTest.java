package dev.onerec4j.engine.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.onerec4j.engine.data.TestFiles;
import dev.onerec4j.engine.data.synthetic.SyntheticSettings;
import dev.onerec4j.engine.data.synthetic.SyntheticWorld;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The tokenize and tokenizer-add commands: a real run, and every kind of bad input. */
class TokenizeCommandTest {

    @TempDir
    Path dir;

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    /** Exit status 2, one line on standard error that contains {@code expected}, and no output folder. */
    private void assertUserError(CliRun r, String expected, Path out) throws IOException {
        assertEquals(2, r.status(), r.err());
        String err = r.err().strip();
        assertEquals(1, err.lines().count(), "one line: " + err);
        assertTrue(err.startsWith("error: ") && err.contains(expected), err);
        assertFalse(Files.exists(out), "no output folder");
        try (Stream<Path> s = Files.list(out.toAbsolutePath().getParent())) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().contains(".tmp-")), "no temporary folder");
        }
    }

    private CliRun tokenize(Path data, String format, Path out, String... more) {
        String[] base = {"tokenize", "--data", data.toString(), "--format", format, "--out", out.toString(), "--quiet",
                "--epochs", "1", "--rq-vae-epochs", "5"};
        String[] all = new String[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return run(all);
    }

    @Test
    void tokenizesAndAddsAnItem() throws IOException {
        SyntheticWorld world = SyntheticWorld.create(SyntheticSettings.defaults().withSize(300, 200, 8, 10, 20));
        Path data = dir.resolve("data");
        world.writeCsv(data, false);
        Path out = dir.resolve("tok");
        CliRun r = tokenize(data, "csv", out, "--compare");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("rq-kmeans: recon / util / entropy") && r.out().contains("rq-vae"), r.out());
        assertTrue(r.out().contains("0 after"), r.out());
        JsonNode metrics = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
        assertEquals(3, metrics.path("quantization").path("levels").size());
        assertTrue(Files.size(out.resolve("code-usage.png")) > 1000);

        String topic = world.dataset().items().vocabulary().token(world.dataset().items().token(0, 0));
        CliRun add = run("tokenizer-add", "--tokenizer", out.toString(), "--item", "brand-new",
                "--field", topic.replaceFirst(":", "="));
        assertEquals(0, add.status(), add.err());
        assertTrue(add.out().contains("item brand-new -> semantic ID [") && add.out().contains("in the trie"), add.out());
        CliRun again = run("tokenizer-add", "--tokenizer", out.toString(), "--item", "brand-new", "--title", "x");
        assertEquals(2, again.status());
        assertTrue(again.err().contains("already has the semantic ID"), again.err());

        CliRun exists = tokenize(data, "csv", out);
        assertEquals(2, exists.status());
        assertTrue(exists.err().contains("--overwrite"), exists.err());
    }

    @Test
    void missingDataFile() throws IOException {
        Path out = dir.resolve("out");
        assertUserError(tokenize(dir.resolve("no-such-data"), "amazon", out), "no-such-data", out);
    }

    @Test
    void malformedLine() throws IOException {
        Path data = TestFiles.write(dir.resolve("bad"), "Beauty.txt", "1 1 2 3", "2 4 x 6").getParent();
        Path out = dir.resolve("out");
        assertUserError(tokenize(data, "amazon", out), "Beauty.txt:2", out);
        Path csv = TestFiles.write(dir.resolve("badcsv"), "interactions.csv", "user,item,timestamp", "u1,i1,100",
                "u1,i2,yesterday").getParent();
        assertUserError(tokenize(csv, "csv", out), "interactions.csv:3", out);
    }

    @Test
    void emptyDataSet() throws IOException {
        Path data = TestFiles.write(dir.resolve("empty"), "Beauty.txt").getParent();
        Path out = dir.resolve("out");
        assertUserError(tokenize(data, "amazon", out), "no interactions", out);
        Path csv = TestFiles.write(dir.resolve("emptycsv"), "interactions.csv", "user,item,timestamp").getParent();
        assertUserError(tokenize(csv, "csv", out), "interactions.csv", out);
    }

    @Test
    void badFlags() throws IOException {
        Path data = TestFiles.write(dir.resolve("ok"), "Beauty.txt", "1 1 2 3", "2 2 3 4").getParent();
        Path out = dir.resolve("out");
        assertUserError(tokenize(data, "amazon", out, "--method", "kmeans"), "unknown --method 'kmeans'", out);
        assertUserError(tokenize(data, "amazon", out, "--levels", "0"), "--levels", out);
        assertUserError(tokenize(data, "parquet", out), "unknown data set format 'parquet'", out);
        assertUserError(tokenize(data, "amazon", out, "--encoder", "lstm"), "unknown encoder 'lstm'", out);
        assertUserError(run("tokenize", "--format", "amazon", "--out", out.toString()), "missing --data", out);
        // Four items cannot fill codebooks of 8 codes.
        assertUserError(tokenize(data, "amazon", out, "--codebook", "8"), "needs at least 8 items", out);
        CliRun noFolder = run("tokenizer-add", "--tokenizer", dir.resolve("none").toString(), "--item", "a", "--title", "t");
        assertEquals(2, noFolder.status());
        assertTrue(noFolder.err().contains("no such tokenizer folder"), noFolder.err());
    }
}
