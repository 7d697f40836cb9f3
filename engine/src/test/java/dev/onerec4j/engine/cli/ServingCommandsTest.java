package dev.onerec4j.engine.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.onerec4j.engine.model.config.Architecture;
import dev.onerec4j.engine.serve.ServingFixture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The recommend and bench decode commands on a run folder: a table, JSON, and one-line errors with status 2. */
class ServingCommandsTest {

    private static final ServingFixture FX = new ServingFixture(3);

    @TempDir
    static Path dir;
    static Path run;

    @BeforeAll
    static void writeRun() throws Exception {
        run = FX.writeRun(dir.resolve("run"), ServingFixture.config(Architecture.V1, 0), 5);
    }

    private static String item(int i) {
        return FX.dataset.items().externalId(i);
    }

    @Test
    void recommendPrintsATable() {
        CliRun r = CliRun.of("recommend", "--model", run.toString(), "--history", item(0) + "," + item(5) + ",nope",
                "-k", "3");
        assertEquals(0, r.status(), r.err());
        String[] lines = r.out().strip().split("\n");
        assertTrue(lines[0].startsWith("rank"), r.out());
        for (int row = 1; row <= 3; row++) {
            assertTrue(lines[row].trim().startsWith(row + " "), "row " + row + ": " + r.out());
            assertTrue(!lines[row].contains(item(0) + " ") && !lines[row].contains(item(5) + " "),
                    "history items are not recommended: " + r.out());
        }
        assertTrue(r.out().contains("ignored unknown history items: nope"), r.out());
    }

    @Test
    void recommendJson() throws Exception {
        CliRun r = CliRun.of("recommend", "--model", run.toString(), "--history", item(1), "-k", "4", "--json");
        assertEquals(0, r.status(), r.err());
        JsonNode answer = new ObjectMapper().readTree(r.out());
        assertEquals(4, answer.get("items").size(), r.out());
    }

    @Test
    void badRecommendArgumentsAreOneLineErrors() {
        CliRun k = CliRun.of("recommend", "--model", run.toString(), "--history", item(1), "-k", "0");
        assertEquals(2, k.status(), k.err());
        assertTrue(k.errorLine().contains("-k"), k.errorLine());
        assertEquals(1, k.errorLine().lines().count(), k.errorLine());
        CliRun missing = CliRun.of("recommend", "--model", dir.resolve("nothing").toString(), "--history", item(1));
        assertEquals(2, missing.status(), missing.err());
    }

    @Test
    void benchDecodePrintsOneJsonLinePerConfiguration() throws Exception {
        CliRun r = CliRun.of("bench", "decode", "--model", run.toString(), "--beams", "4,8", "--history", "5",
                "--runs", "2", "--warmup-ms", "0", "-k", "3", "--json");
        assertEquals(0, r.status(), r.err());
        String[] lines = r.out().strip().split("\n");
        assertEquals(2, lines.length, r.out());
        for (String line : lines) {
            JsonNode o = new ObjectMapper().readTree(line);
            assertTrue(o.get("p50_ms").asDouble() > 0 && o.get("p99_ms").asDouble() >= o.get("p50_ms").asDouble(),
                    line);
            assertTrue(o.get("ratio_to_floor").asDouble() > 0 && o.get("gflop").asDouble() > 0, line);
        }
    }
}
