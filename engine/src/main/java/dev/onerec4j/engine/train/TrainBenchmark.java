package dev.onerec4j.engine.train;

import dev.onerec4j.engine.data.synthetic.SyntheticSettings;
import dev.onerec4j.engine.data.synthetic.SyntheticWorld;
import dev.onerec4j.engine.data.split.LeaveOneOutSplit;
import dev.onerec4j.engine.model.DropoutStream;
import dev.onerec4j.engine.model.FlopCount;
import dev.onerec4j.engine.model.ModelFactory;
import dev.onerec4j.engine.model.OneRecModel;
import dev.onerec4j.engine.model.config.RunConfig;
import dev.onerec4j.engine.sample.ContextBatchBuilder;
import dev.onerec4j.engine.sample.FeatureSpace;
import dev.onerec4j.engine.sample.ItemVectors;
import dev.onerec4j.engine.tokenizer.SemanticIds;
import dev.onerec4j.kernels.Parallel;
import dev.onerec4j.kernels.PeakFlops;
import dev.onerec4j.tensors.MemoryScope;
import dev.onerec4j.tensors.Tensor;
import dev.onerec4j.tensors.nn.Autocast;
import dev.onerec4j.tensors.optim.AdamW;
import dev.onerec4j.tensors.optim.GradClip;

import java.util.Arrays;
import java.util.Set;

/**
 * Training throughput of a configuration: full optimizer steps (forward, backward, clipping, AdamW, MoE
 * balancing) on a generated world with planted semantic IDs, timed after warm-up. Reports samples and target
 * tokens per second and model FLOPs per second (the analytic training FLOPs per sample times samples per
 * second), and MFU against a given peak.
 */
public final class TrainBenchmark {

    /**
     * @param config        config name
     * @param architecture  v1 or v2
     * @param parameters    parameter count
     * @param batchSize     samples per step
     * @param steps         timed steps
     * @param secondsPerStep median step time
     * @param samplesPerSecond samples per second (median step)
     * @param tokensPerSecond target SID tokens per second
     * @param modelGflops   model FLOPs per second / 1e9 (training FLOPs: 3 x forward)
     * @param peakGflops    the peak it is compared with
     * @param mfu           modelGflops / peakGflops
     * @param forwardFlopsPerSample analytic forward FLOPs per sample
     * @param contextShare  share of the forward FLOPs spent on the context
     * @param threads       worker threads
     */
    public record Measurement(String config, String architecture, long parameters, int batchSize, int steps,
                              double secondsPerStep, double samplesPerSecond, double tokensPerSecond,
                              double modelGflops, double peakGflops, double mfu, long forwardFlopsPerSample,
                              double contextShare, int threads) {
    }

    private TrainBenchmark() {
    }

    /**
     * Runs {@code warmup} untimed and {@code steps} timed optimizer steps; after each timed step a register-only
     * FMA trial ({@link PeakFlops}) of about a fifth of its length measures the peak under the same load, and
     * the medians of both are compared.
     */
    public static Measurement run(RunConfig config, int warmup, int steps) {
        SyntheticWorld world = SyntheticWorld.create(SyntheticSettings.defaults());
        SemanticIds sids = PlantedSemanticIds.of(world);
        LeaveOneOutSplit split = LeaveOneOutSplit.of(world.dataset().histories());
        FeatureSpace space = FeatureSpace.of(world.dataset(), sids);
        try (MemoryScope scope = MemoryScope.owned("bench-model")) {
            OneRecModel model = ModelFactory.create(config.model, space, sids, scope, config.train.seed);
            ContextBatchBuilder builder = new ContextBatchBuilder(world.dataset(), space, config.model,
                    ItemVectors.fromSemanticIds(sids, 32, 1));
            GenerativeTask task = new GenerativeTask(model, builder, split.train(), config.train.labelSmoothing,
                    config.eval.beamWidth);
            AdamW opt = new AdamW(model.namedParameters(), 0.9, 0.98, 1e-8, 0.01, Set.of());
            DataOrder order = new DataOrder(1, task.exampleCount(), 0, 0);
            int batch = config.train.batchSize;
            double[] seconds = new double[steps];
            double[] peaks = new double[steps];
            int chains = PeakFlops.fastestChains(2e8, 3);
            double peakGuess = PeakFlops.trialGflops(chains, 5e8);
            model.train(true);
            for (int s = 0; s < warmup + steps; s++) {
                long t0 = System.nanoTime();
                opt.zeroGrad();
                try (MemoryScope step = MemoryScope.open("bench-step");
                     var cast = config.train.bf16 ? Autocast.bf16() : Autocast.off()) {
                    Tensor loss = task.loss(order.next(batch), new DropoutStream(config.model.dropout, s, true));
                    loss.backward();
                }
                GradClip.clipGlobalNorm(model.parameters(), 1.0);
                opt.step(1e-4);
                model.moeLayers().forEach(m -> m.updateBalance());
                if (s >= warmup) {
                    double t = (System.nanoTime() - t0) / 1e9;
                    seconds[s - warmup] = t;
                    double trialFlops = Math.max(1e8, 0.2 * t * peakGuess * 1e9 / Parallel.threads());
                    peaks[s - warmup] = PeakFlops.trialGflops(chains, trialFlops);
                    peakGuess = peaks[s - warmup];
                }
            }
            Arrays.sort(seconds);
            Arrays.sort(peaks);
            double peakGflops = peaks[steps / 2];
            double median = seconds[steps / 2];
            double sps = batch / median;
            FlopCount flops = model.flops(model.embedder().maxTokens());
            double gflops = sps * flops.training() / 1e9;
            return new Measurement(config.name, config.model.architecture.id(), model.parameterCount(), batch, steps,
                    median, sps, sps * sids.levels(), gflops, peakGflops, gflops / peakGflops,
                    flops.forward(), flops.contextShare(), Parallel.threads());
        }
    }
}
