package dev.onerec4j.engine.train;

import dev.onerec4j.engine.UserException;
import dev.onerec4j.engine.model.SyntheticFixture;
import dev.onerec4j.engine.model.config.Architecture;
import dev.onerec4j.engine.model.config.RunConfig;
import dev.onerec4j.tensors.MemoryScope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A crash while a checkpoint is being written never leaves a corrupt checkpoint: the failed one is not visible,
 * the previous one stays the latest and loads, and resuming from it works. A checkpoint of one model shape is
 * refused by another with a one-line message.
 */
class CheckpointFaultTest {

    private static final SyntheticFixture FX = SyntheticFixture.small(13);

    @Test
    void failedCheckpointWriteLeavesThePreviousOneIntact(@TempDir Path dir) throws Exception {
        RunConfig c = TrainFixtures.shortRun(Architecture.V1, 9);
        c.train.evalEvery = 100;
        RunDirectory run = RunDirectory.create(dir);
        AtomicInteger commits = new AtomicInteger();
        Checkpoints.CommitHook failSecond = tmp -> {
            if (commits.incrementAndGet() == 2) {
                // The model and optimizer files are complete in the temporary folder; fail before the commit,
                // and leave a torn file behind as a crashed writer would.
                Files.writeString(tmp.resolve("model.safetensors"), "torn");
                throw new IOException("disk full (injected)");
            }
        };
        try (MemoryScope scope = MemoryScope.owned("a")) {
            GenerativeTask task = TrainFixtures.task(FX, c, scope);
            UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> new Trainer(c.train, c.eval, task,
                    FX.split.validation(), run, TrainOptions.quiet().withCommitHook(failSecond)).run());
            assertTrue(e.getMessage().contains("previous checkpoint is intact"), e.getMessage());
        }
        Checkpoints cps = new Checkpoints(run.checkpoints(), 2);
        Path latest = cps.latest().orElseThrow();
        assertEquals("step-00000004", latest.getFileName().toString());
        try (Stream<Path> s = Files.list(run.checkpoints())) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith(".tmp")
                    || p.getFileName().toString().equals("step-00000008")), "no partial checkpoint is left");
        }
        // The previous checkpoint loads and training resumes from it to the end.
        try (MemoryScope scope = MemoryScope.owned("b")) {
            GenerativeTask task = TrainFixtures.task(FX, c, scope);
            TrainResult r = new Trainer(c.train, c.eval, task, FX.split.validation(), run,
                    TrainOptions.quiet().withResume(true)).run();
            assertEquals(9, r.steps());
        }
        assertEquals("step-00000009", cps.latest().orElseThrow().getFileName().toString());
    }

    @Test
    void checkpointOfAnotherShapeIsRefused(@TempDir Path dir) {
        RunConfig c = TrainFixtures.shortRun(Architecture.V2, 2);
        RunDirectory run = RunDirectory.create(dir);
        try (MemoryScope scope = MemoryScope.owned("a")) {
            new Trainer(c.train, c.eval, TrainFixtures.task(FX, c, scope), null, run, TrainOptions.quiet()).run();
        }
        RunConfig other = TrainFixtures.shortRun(Architecture.V2, 4);
        other.model.dim = 24;
        try (MemoryScope scope = MemoryScope.owned("b")) {
            GenerativeTask task = TrainFixtures.task(FX, other, scope);
            UserException e = assertThrows(UserException.class, () -> new Trainer(other.train, other.eval, task, null,
                    run, TrainOptions.quiet().withResume(true)).run());
            assertTrue(e.getMessage().contains("was written for a different model"), e.getMessage());
            assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
        }
    }
}
