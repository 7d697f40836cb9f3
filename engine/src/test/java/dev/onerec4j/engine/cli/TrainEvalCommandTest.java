package dev.onerec4j.engine.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.onerec4j.engine.data.synthetic.SyntheticSettings;
import dev.onerec4j.engine.data.synthetic.SyntheticWorld;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The train and eval commands end to end on a generated csv data set, and the one-line errors (exit status 2) for
 * bad input: an unknown format, unreadable data, a config with impossible shapes, resuming with a different
 * model shape, reusing a run folder, and evaluating a folder that is not a run.
 */
class TrainEvalCommandTest {

    @TempDir
    static Path dir;
    static Path data;
    static Path tokenizer;
    static Path config;

    @BeforeAll
    static void prepare() throws Exception {
        SyntheticWorld world = SyntheticWorld.create(SyntheticSettings.defaults().withSize(300, 120, 8, 8, 14).withSeed(3));
        data = dir.resolve("data");
        world.writeCsv(data, false);
        tokenizer = dir.resolve("tokenizer");
        CliRun tokenize = CliRun.of("tokenize", "--data", data.toString(), "--format", "csv", "--out",
                tokenizer.toString(), "--quiet");
        assertEquals(0, tokenize.status(), tokenize.err());
        config = dir.resolve("quick.json");
        Files.writeString(config, "{\"preset\": \"tiny\", \"train\": {\"maxSteps\": 12, \"batchSize\": 32,"
                + " \"evalEvery\": 6, \"evalUsers\": 100, \"checkpointEvery\": 4}, \"sasrec\": {\"maxLength\": 10}}");
    }

    @Test
    void trainThenEvaluate() throws Exception {
        Path run = dir.resolve("run");
        CliRun train = CliRun.of("train", "--data", data.toString(), "--format", "csv", "--config", config.toString(),
                "--out", run.toString(), "--tokenizer", tokenizer.toString(), "--no-progress");
        assertEquals(0, train.status(), train.err());
        assertTrue(train.out().contains("parameters"), train.out());
        assertTrue(train.out().contains("Recall@10"), train.out());
        for (String f : new String[] {"run.json", "train.csv", "loss.png", "best/model.safetensors",
                "tokenizer/manifest.json", "eval-test.json", "checkpoints/latest"}) {
            assertTrue(Files.exists(run.resolve(f)), f + " is missing");
        }
        CliRun eval = CliRun.of("eval", "--model", run.toString(), "--data", data.toString(), "--format", "csv",
                "--split", "valid", "--keep-history", "--json");
        assertEquals(0, eval.status(), eval.err());
        JsonNode report = new ObjectMapper().readTree(eval.out());
        assertEquals("valid", report.get("split").asText());
        assertEquals("kept", report.get("history").asText());
        assertEquals(300, report.get("users").asInt());
        double recall = report.get("metrics").get("recall@10").asDouble();
        assertTrue(recall >= 0 && recall <= 1);
        double legality = report.get("legality").asDouble();
        assertTrue(legality >= 0 && legality <= 1);

        // Resuming with another model shape is refused in one line.
        Path other = dir.resolve("other.json");
        Files.writeString(other, "{\"preset\": \"tiny\", \"model\": {\"dim\": 48}, \"train\": {\"maxSteps\": 20}}");
        CliRun resume = CliRun.of("train", "--data", data.toString(), "--format", "csv", "--config", other.toString(),
                "--out", run.toString(), "--resume", "--no-progress");
        assertUserError(resume, "was written for a different model");
        // Training into an existing run without --resume is refused.
        assertUserError(CliRun.of("train", "--data", data.toString(), "--format", "csv", "--config", config.toString(),
                "--out", run.toString(), "--tokenizer", tokenizer.toString(), "--no-progress"), "--resume");
    }

    @Test
    void sasRecBaselineTrainsAndEvaluates() {
        Path run = dir.resolve("sasrec");
        CliRun train = CliRun.of("train", "--data", data.toString(), "--format", "csv", "--config", config.toString(),
                "--out", run.toString(), "--model-type", "sasrec", "--no-progress");
        assertEquals(0, train.status(), train.err());
        assertTrue(train.out().contains("SASRec"), train.out());
    }

    @Test
    void badInputIsOneLineWithStatusTwo() throws Exception {
        assertUserError(CliRun.of("train", "--data", data.toString(), "--format", "parquet", "--out",
                dir.resolve("x").toString()), "unknown data set format 'parquet'");
        assertUserError(CliRun.of("train", "--data", dir.resolve("missing").toString(), "--format", "csv", "--out",
                dir.resolve("y").toString(), "--tokenizer", tokenizer.toString()), "missing");
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"model\": {\"dim\": 30, \"heads\": 4}}");
        assertUserError(CliRun.of("train", "--data", data.toString(), "--format", "csv", "--config", bad.toString(),
                "--out", dir.resolve("z").toString()), "'model.heads'");
        assertUserError(CliRun.of("eval", "--model", dir.toString(), "--data", data.toString(), "--format", "csv"),
                "not a run folder");
        assertUserError(CliRun.of("train", "--data", data.toString(), "--format", "csv", "--config", "tiny",
                "--out", dir.resolve("v").toString(), "--tokenizer", dir.resolve("nothing").toString()),
                "no such tokenizer folder");
    }

    private static void assertUserError(CliRun r, String fragment) {
        assertEquals(2, r.status(), "status for " + r.err());
        String line = r.errorLine();
        assertTrue(line.startsWith("error: "), line);
        assertTrue(line.contains(fragment), line);
        assertFalse(line.contains("\n"), "one line: " + line);
        assertFalse(line.contains("Exception"), "no stack trace: " + line);
    }
}
