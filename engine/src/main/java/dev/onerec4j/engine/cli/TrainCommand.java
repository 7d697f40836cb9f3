package dev.onerec4j.engine.cli;

import dev.onerec4j.engine.UserException;
import dev.onerec4j.engine.data.Dataset;
import dev.onerec4j.engine.data.DatasetFormat;
import dev.onerec4j.engine.eval.EvalReport;
import dev.onerec4j.engine.model.config.ConfigLoader;
import dev.onerec4j.engine.model.config.RunConfig;
import dev.onerec4j.engine.tokenizer.Progress;
import dev.onerec4j.engine.train.TrainOptions;
import dev.onerec4j.engine.train.TrainPipeline;
import dev.onerec4j.engine.train.TrainResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** Trains a OneRec model (or the SASRec baseline) and evaluates the best model on the test split. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a OneRec model (or the SASRec baseline) with leave-one-out validation, then evaluate on the test split.")
public final class TrainCommand implements Callable<Integer> {

    @Option(names = "--data", required = true, description = "Data set folder (or file, per format).")
    Path data;

    @Option(names = "--format", required = true, description = "Data set format: amazon, ml-1m, ml-100k, kuairand or csv.")
    String format;

    @Option(names = "--config", defaultValue = "small",
            description = "Preset (tiny, small, onerec-0.015b, onerec-0.121b) or JSON config file. Default: ${DEFAULT-VALUE}.")
    String config;

    @Option(names = "--out", required = true, description = "Run folder (checkpoints, logs, the trained model).")
    Path out;

    @Option(names = "--resume", description = "Continue the run in --out from its latest checkpoint.")
    boolean resume;

    @Option(names = "--tokenizer", description = "A tokenizer folder built for this data (the tokenize command); "
            + "without it the items are tokenized with the default settings. Either way the run folder keeps a copy.")
    Path tokenizer;

    @Option(names = "--max-minutes", defaultValue = "0",
            description = "Stop after this many minutes with a checkpoint (resume later with --resume); 0 = no limit.")
    double maxMinutes;

    @Option(names = "--model-type", defaultValue = "onerec", description = "onerec or sasrec. Default: ${DEFAULT-VALUE}.")
    String modelType;

    @Option(names = "--no-progress", description = "Do not draw progress bars.")
    boolean noProgress;

    @Option(names = "--skip-test", description = "Do not evaluate on the test split after training.")
    boolean skipTest;

    @Override
    public Integer call() {
        RunConfig cfg = ConfigLoader.load(config);
        if (maxMinutes < 0) {
            throw new UserException("--max-minutes must be >= 0, got " + maxMinutes);
        }
        Dataset dataset = DatasetFormat.parse(format).read(data);
        TrainOptions options = new TrainOptions(resume, maxMinutes, 0, !noProgress, System.out, t -> { });
        long t0 = System.nanoTime();
        TrainPipeline.Outcome outcome;
        try (ConsoleProgress progress = new ConsoleProgress(System.err)) {
            outcome = TrainPipeline.run(new TrainPipeline.Request(dataset, data.toAbsolutePath(),
                    DatasetFormat.parse(format).id(), cfg, out, modelType, tokenizer, options,
                    noProgress ? Progress.NONE : progress));
        }
        TrainResult r = outcome.result();
        System.out.printf(Locale.ROOT, "trained %d steps in %.1f min%s; best validation Recall@10 %.4f at step %d%n",
                r.steps(), r.seconds() / 60, r.timeLimited() ? " (stopped at the time limit: --resume continues)"
                        : r.stoppedEarly() ? " (early stop)" : "", r.bestRecall(), r.bestStep());
        if (!Double.isNaN(r.moeImbalance())) {
            System.out.printf(Locale.ROOT, "MoE max/min expert load (last log interval): %.2f%n", r.moeImbalance());
        }
        System.out.println("run folder: " + out.toAbsolutePath() + " (train.csv, loss.png, best/, checkpoints/)");
        if (!skipTest && !r.timeLimited()) {
            EvalReport report = Evaluation.run(out, dataset, "test", cfg.eval.keepHistory, !noProgress, -1);
            System.out.print(report.table());
        }
        System.out.printf(Locale.ROOT, "total time %.1f min%n", (System.nanoTime() - t0) / 60e9);
        return 0;
    }
}
