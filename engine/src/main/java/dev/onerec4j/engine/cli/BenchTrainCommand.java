package dev.onerec4j.engine.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import dev.onerec4j.engine.UserException;
import dev.onerec4j.engine.model.config.ConfigLoader;
import dev.onerec4j.engine.model.config.RunConfig;
import dev.onerec4j.engine.train.TrainBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.Locale;

/** {@code bench train}: training throughput and MFU of a model configuration. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Training throughput of a config (median step after warm-up, on a generated world): samples/s, "
                + "target tokens/s, model GFLOPS and MFU against the FP32 FMA peak measured in the same run.")
public final class BenchTrainCommand implements Runnable {

    @Option(names = "--config", defaultValue = "onerec-0.015b",
            description = "Preset or JSON config file (default: ${DEFAULT-VALUE}).")
    String config;

    @Option(names = "--batch", description = "Samples per step (default: the config's train.batchSize).")
    Integer batch;

    @Option(names = "--steps", defaultValue = "5", description = "Timed steps (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--warmup", defaultValue = "3", description = "Untimed warm-up steps (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: one per core).")
    Integer threads;

    @Option(names = "--json", description = "Print the measurement as JSON.")
    boolean json;

    @Override
    public void run() {
        if (steps < 1 || warmup < 0) {
            throw new UserException("bench train: need --steps >= 1 and --warmup >= 0");
        }
        RunConfig c = ConfigLoader.load(config);
        if (batch != null) {
            if (batch < 1) {
                throw new UserException("bench train: --batch must be at least 1, got " + batch);
            }
            c.train.batchSize = batch;
        }
        PoolSize.configure(threads, "bench train");
        TrainBenchmark.Measurement m = TrainBenchmark.run(c, warmup, steps);
        if (json) {
            try {
                System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(m));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
            return;
        }
        System.out.printf(Locale.ROOT, "%s (%s, %,d parameters), batch %d, %d threads, median of %d steps:%n", m.config(),
                m.architecture(), m.parameters(), m.batchSize(), m.threads(), m.steps());
        System.out.printf(Locale.ROOT, "  %.3f s/step, %.1f samples/s, %.1f target tokens/s%n", m.secondsPerStep(),
                m.samplesPerSecond(), m.tokensPerSecond());
        System.out.printf(Locale.ROOT, "  %.2f MFLOP forward per sample (context %.1f%%); model %.2f GFLOPS of a %.1f GFLOPS"
                + " FP32 peak: MFU %.1f%%%n", m.forwardFlopsPerSample() / 1e6, 100 * m.contextShare(), m.modelGflops(),
                m.peakGflops(), 100 * m.mfu());
    }
}
