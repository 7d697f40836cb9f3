package dev.onerec4j.engine.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * simulate, train, train-reward, align and eval end to end on a tiny simulator world (a handful of steps each: the
 * commands' wiring and files, not learning, which the engine's tests cover), and the one-line errors for bad input.
 */
class AlignCommandTest {

    @TempDir
    static Path dir;
    static Path data;
    static Path run;
    static Path reward;

    @BeforeAll
    static void prepare() throws Exception {
        data = dir.resolve("world");
        CliRun sim = CliRun.of("simulate", "--out", data.toString(), "--users", "150", "--items", "80", "--clusters",
                "6", "--min-length", "6", "--max-length", "10", "--seed", "3");
        assertEquals(0, sim.status(), sim.err());
        assertTrue(Files.exists(data.resolve("world.json")));
        Path config = dir.resolve("quick.json");
        Files.writeString(config, "{\"preset\": \"tiny\", \"train\": {\"maxSteps\": 6, \"batchSize\": 32,"
                + " \"evalEvery\": 6, \"evalUsers\": 50, \"checkpointEvery\": 6}}");
        run = dir.resolve("run");
        CliRun train = CliRun.of("train", "--data", data.toString(), "--format", "csv", "--config", config.toString(),
                "--out", run.toString(), "--no-progress", "--skip-test");
        assertEquals(0, train.status(), train.err());
        reward = dir.resolve("reward");
        CliRun rm = CliRun.of("train-reward", "--data", data.toString(), "--format", "csv", "--out", reward.toString(),
                "--epochs", "1", "--no-progress");
        assertEquals(0, rm.status(), rm.err());
        assertTrue(rm.out().contains("| click") && rm.out().contains("| half_play") && rm.out().contains("P-Score"),
                rm.out());
    }

    @Test
    void alignWritesAnEvaluableRunAndReportsValueBeforeAndAfter() throws Exception {
        Path aligned = dir.resolve("aligned");
        CliRun align = CliRun.of("align", "--model", run.toString(), "--reward", reward.toString(), "--out",
                aligned.toString(), "--steps", "4", "--group", "4", "--rl-users", "2", "--sft-batch", "8",
                "--refresh-every", "2", "--format-reward", "--format-samples", "2", "--sir-class", "class0",
                "--eval-users", "40", "--no-progress");
        assertEquals(0, align.status(), align.err());
        assertTrue(align.out().contains("value@10") && align.out().contains("legal (sampled)"), align.out());
        for (String f : new String[] {"run.json", "tokenizer/manifest.json", "best/model.safetensors", "align.json",
                "align.csv"}) {
            assertTrue(Files.exists(aligned.resolve(f)), f + " is missing");
        }
        JsonNode outcome = new ObjectMapper().readTree(aligned.resolve("align.json").toFile());
        assertEquals(4, outcome.get("steps").asInt());
        assertTrue(outcome.get("after").get("value").asDouble() > 0);
        assertEquals(40, outcome.get("after").get("users").asInt());

        CliRun eval = CliRun.of("eval", "--model", aligned.toString(), "--data", data.toString(), "--format", "csv",
                "--reward", reward.toString(), "--select", "20", "--value-users", "30", "--json");
        assertEquals(0, eval.status(), eval.err());
        JsonNode report = new ObjectMapper().readTree(eval.out());
        assertTrue(report.get("eval").get("metrics").has("recall@10"), eval.out());
        JsonNode value = report.get("value");
        assertEquals(30, value.get("users").asInt());
        for (String field : new String[] {"meanPScore", "value", "passValue", "classShare"}) {
            assertTrue(value.has(field), field + " missing in " + eval.out());
        }
        assertTrue(value.get("passValue").asDouble() >= value.get("value").asDouble());
    }

    @Test
    void badAlignInputGetsOneLineErrors() {
        CliRun noReward = CliRun.of("align", "--model", run.toString(), "--out", dir.resolve("x1").toString());
        assertEquals(2, noReward.status());
        assertTrue(noReward.errorLine().contains("--reward"), noReward.errorLine());
        CliRun badClass = CliRun.of("align", "--model", run.toString(), "--reward", reward.toString(), "--out",
                dir.resolve("x2").toString(), "--sir-class", "nope", "--steps", "1");
        assertEquals(2, badClass.status());
        assertTrue(badClass.errorLine().contains("nope"), badClass.errorLine());
        CliRun badClip = CliRun.of("align", "--model", run.toString(), "--reward", reward.toString(), "--out",
                dir.resolve("x3").toString(), "--clip", "kl");
        assertEquals(2, badClip.status());
        assertTrue(badClip.errorLine().contains("ecpo"), badClip.errorLine());
        CliRun notReward = CliRun.of("eval", "--model", run.toString(), "--data", data.toString(), "--format", "csv",
                "--reward", run.toString());
        assertEquals(2, notReward.status());
        assertTrue(notReward.errorLine().contains("reward.json"), notReward.errorLine());
        CliRun selectAlone = CliRun.of("eval", "--model", run.toString(), "--data", data.toString(), "--format", "csv",
                "--select", "20");
        assertEquals(2, selectAlone.status());
        assertTrue(selectAlone.errorLine().contains("--reward"), selectAlone.errorLine());
    }

    @Test
    void implicitOnlyDataCannotTrainARewardModel() throws Exception {
        Path implicit = dir.resolve("implicit");
        Files.createDirectories(implicit);
        StringBuilder sb = new StringBuilder("user,item,timestamp\n");
        for (int u = 0; u < 5; u++) {
            for (int i = 0; i < 4; i++) {
                sb.append("u").append(u).append(",i").append(i).append(",").append(100 * i).append('\n');
            }
        }
        Files.writeString(implicit.resolve("interactions.csv"), sb.toString());
        CliRun rm = CliRun.of("train-reward", "--data", implicit.toString(), "--format", "csv", "--out",
                dir.resolve("r2").toString(), "--no-progress");
        assertEquals(2, rm.status(), rm.out() + rm.err());
        assertTrue(rm.errorLine().contains("no feedback signal"), rm.errorLine());
    }
}
