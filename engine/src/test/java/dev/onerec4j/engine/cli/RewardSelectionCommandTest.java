package dev.onerec4j.engine.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.onerec4j.engine.data.synthetic.SyntheticSettings;
import dev.onerec4j.engine.data.synthetic.SyntheticWorld;
import dev.onerec4j.engine.model.config.Architecture;
import dev.onerec4j.engine.serve.ServingFixture;
import dev.onerec4j.tensors.MemoryScope;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code recommend --reward RUN [--select N]} and {@code serve --reward RUN}: the P-Score is reported for the
 * chosen items, and a reward folder that does not fit the run, a missing one, or {@code --select} alone are
 * one-line errors with status 2.
 */
class RewardSelectionCommandTest {

    private static final ServingFixture FX = new ServingFixture(3);

    @TempDir
    static Path dir;
    static Path run;
    static Path reward;
    static Path otherReward;

    @BeforeAll
    static void write() throws Exception {
        run = FX.writeRun(dir.resolve("run"), ServingFixture.config(Architecture.V1, 0), 5);
        reward = dir.resolve("reward");
        otherReward = dir.resolve("other-reward");
        try (MemoryScope s = MemoryScope.owned("reward command test")) {
            ServingFixture.writeReward(FX.dataset, reward, 0.5, s);
            SyntheticWorld other = SyntheticWorld.create(SyntheticSettings.defaults().withSize(60, 70, 6, 10, 20)
                    .withSeed(9));
            ServingFixture.writeReward(other.dataset(), otherReward, 0.05, s);
        }
    }

    private static String item(int i) {
        return FX.dataset.items().externalId(i);
    }

    @Test
    void recommendWithRewardSelectionReportsPScores() throws Exception {
        CliRun r = CliRun.of("recommend", "--model", run.toString(), "--history", item(1) + "," + item(4), "-k", "3",
                "--reward", reward.toString(), "--select", "16", "--json");
        assertEquals(0, r.status(), r.err());
        JsonNode o = new ObjectMapper().readTree(r.out());
        assertEquals(16, o.get("beamWidth").asInt(), r.out());
        assertEquals(3, o.get("items").size(), r.out());
        double previous = 1;
        for (JsonNode it : o.get("items")) {
            double p = it.get("score").asDouble();
            assertTrue(p > 0 && p < 1 && p <= previous, "P-Scores in (0, 1), best first: " + r.out());
            previous = p;
        }
    }

    @Test
    void unfitRewardFoldersAreOneLineErrors() {
        CliRun other = CliRun.of("recommend", "--model", run.toString(), "--history", item(1), "--reward",
                otherReward.toString());
        assertEquals(2, other.status(), other.err());
        assertEquals(1, other.errorLine().lines().count(), other.errorLine());
        assertTrue(other.errorLine().contains("train it with train-reward on the run's data set"), other.errorLine());

        CliRun missing = CliRun.of("recommend", "--model", run.toString(), "--history", item(1), "--reward",
                dir.resolve("nowhere").toString());
        assertEquals(2, missing.status(), missing.err());
        assertEquals(1, missing.errorLine().lines().count(), missing.errorLine());

        CliRun serve = CliRun.of("serve", "--model", run.toString(), "--port", "0", "--reward",
                otherReward.toString());
        assertEquals(2, serve.status(), serve.err());
        assertEquals(1, serve.errorLine().lines().count(), serve.errorLine());

        CliRun alone = CliRun.of("recommend", "--model", run.toString(), "--history", item(1), "--select", "8");
        assertEquals(2, alone.status(), alone.err());
        assertTrue(alone.errorLine().contains("--select needs --reward"), alone.errorLine());
    }
}
