package dev.onerec4j.engine.train;

import dev.onerec4j.engine.model.SyntheticFixture;
import dev.onerec4j.engine.model.config.Architecture;
import dev.onerec4j.engine.model.config.RunConfig;
import dev.onerec4j.tensors.MemoryScope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Loss-free balancing during real training: the same MoE model trained with the balancing bias ends with a
 * much lower max/min expert load ratio than with plain top-k routing. Both ratios come from the training log's
 * last interval.
 */
class MoeBalanceTrainingTest {

    private static final SyntheticFixture FX = SyntheticFixture.small(17);

    @Test
    void balancingBiasEvensOutExpertLoad(@TempDir Path dir) {
        double unbalanced = train(dir.resolve("off"), 0.0);
        double balanced = train(dir.resolve("on"), 0.01);
        System.out.printf("MoE max/min expert load over the last 20 steps: %.2f without balancing, %.2f with%n",
                unbalanced, balanced);
        assertTrue(balanced < 1.6, "balanced ratio " + balanced);
        assertTrue(unbalanced > 2 * balanced, "without balancing " + unbalanced + ", with " + balanced);
    }

    private static double train(Path dir, double rate) {
        RunConfig c = TrainFixtures.shortRun(Architecture.V2, 100);
        c.model.moe.experts = 8;
        c.model.moe.topK = 1;
        c.model.moe.balanceRate = rate;
        c.train.accumulation = 1;
        c.train.batchSize = 32;
        c.train.lr = 3e-3;
        c.train.logEvery = 20;
        c.train.checkpointEvery = 0;
        try (MemoryScope scope = MemoryScope.owned("moe")) {
            GenerativeTask task = TrainFixtures.task(FX, c, scope);
            return new Trainer(c.train, c.eval, task, null, RunDirectory.create(dir), TrainOptions.quiet()).run()
                    .moeImbalance();
        }
    }
}
