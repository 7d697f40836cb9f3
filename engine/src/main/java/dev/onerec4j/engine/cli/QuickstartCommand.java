package dev.onerec4j.engine.cli;

import dev.onerec4j.engine.UserException;
import dev.onerec4j.engine.data.Dataset;
import dev.onerec4j.engine.data.DatasetFormat;
import dev.onerec4j.engine.data.split.LeaveOneOutSplit;
import dev.onerec4j.engine.data.synthetic.PlantedCeiling;
import dev.onerec4j.engine.data.synthetic.SyntheticSettings;
import dev.onerec4j.engine.data.synthetic.SyntheticWorld;
import dev.onerec4j.engine.eval.EvalReport;
import dev.onerec4j.engine.model.config.Architecture;
import dev.onerec4j.engine.model.config.ConfigLoader;
import dev.onerec4j.engine.model.config.RunConfig;
import dev.onerec4j.engine.tokenizer.Progress;
import dev.onerec4j.engine.train.AtomicFiles;
import dev.onerec4j.engine.train.RunInfo;
import dev.onerec4j.engine.train.TrainOptions;
import dev.onerec4j.engine.train.TrainPipeline;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * The whole loop on a generated data set with planted structure: generate, write it as csv, tokenize, train, evaluate,
 * and show a few recommendations, next to the popularity baseline and the planted ceiling.
 */
@Command(name = "quickstart", mixinStandardHelpOptions = true,
        description = "Generate a data set with planted structure, tokenize it, train OneRec, evaluate it against a "
                + "popularity baseline and the planted ceiling, and print a few recommendations (a few minutes).")
public final class QuickstartCommand implements Callable<Integer> {

    @Option(names = "--out", defaultValue = "quickstart-run",
            description = "Run folder; it keeps the data (data/), the tokenizer and the model (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--max-minutes", defaultValue = "3", description = "Training time limit (default: ${DEFAULT-VALUE}).")
    double maxMinutes;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the generated world (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--overwrite", description = "Replace --out if it already holds a run.")
    boolean overwrite;

    @Option(names = "--no-progress", description = "Do not draw progress bars.")
    boolean noProgress;

    @Override
    public Integer call() {
        long t0 = System.nanoTime();
        if (Files.exists(out.resolve("run.json")) || Files.exists(out.resolve("checkpoints"))) {
            if (!overwrite) {
                throw new UserException(out + " already holds a run: pass --overwrite or another --out");
            }
            AtomicFiles.deleteTree(out);
        }
        SyntheticWorld world = SyntheticWorld.create(SyntheticSettings.defaults().withSeed(seed));
        Path data = out.resolve("data");
        world.writeSimulator(data, true);
        Dataset dataset = DatasetFormat.CSV.read(data).withName("quickstart world (seed " + seed + ")");
        System.out.printf(Locale.ROOT, "1/4 generated a world with planted structure, written as csv to %s%n", data);

        RunConfig config = quickstartConfig();
        TrainOptions options = new TrainOptions(false, maxMinutes, 0, !noProgress, System.out, t -> { });
        System.out.println("2/4 tokenizing the items, then 3/4 training OneRec " + config.model.architecture.id()
                + " (at most " + maxMinutes + " min)");
        TrainPipeline.Outcome trained;
        try (ConsoleProgress progress = new ConsoleProgress(System.err)) {
            trained = TrainPipeline.run(new TrainPipeline.Request(dataset, data.toAbsolutePath(), DatasetFormat.CSV.id(),
                    config, out, RunInfo.ONEREC, null, options, noProgress ? Progress.NONE : progress));
        }
        System.out.printf(Locale.ROOT, "    %d steps in %.1f min%n", trained.result().steps(), trained.result().seconds() / 60);

        System.out.println("4/4 evaluating on the test split (leave-one-out, whole catalogue)");
        EvalReport report = Evaluation.run(out, dataset, "test", false, !noProgress, -1);
        System.out.print(report.table());
        LeaveOneOutSplit split = LeaveOneOutSplit.of(dataset.histories());
        PlantedCeiling ceiling = PlantedCeiling.compute(world, split.test(), split.trainItemCounts(dataset.numItems()), 10);
        double recall = report.metrics().get("recall@10");
        System.out.printf(Locale.ROOT, "%nRecall@10: OneRec %.4f | popularity %.4f | planted ceiling %.4f "
                        + "(OneRec reaches %.0f%% of the ceiling)%n", recall, ceiling.popularityRecall(),
                ceiling.recall(), 100 * recall / ceiling.recall());
        QuickstartExamples.print(out, dataset, world, 3);
        System.out.printf(Locale.ROOT, "%ndone in %.1f min. The run is kept in %s:%n  java -jar engine.jar eval --model %s "
                + "--data %s --format csv%n", (System.nanoTime() - t0) / 60e9, out, out, data);
        return 0;
    }

    /**
     * The tiny preset as V1 with every pathway on (the generated users have features, feedback and long histories),
     * three epochs.
     */
    static RunConfig quickstartConfig() {
        RunConfig c = ConfigLoader.preset("tiny");
        c.name = "quickstart";
        c.model.pathways.shortTerm = 20;
        c.model.pathways.positive = 10;
        c.model.pathways.lifelong.length = 64;
        c.model.pathways.lifelong.clusterThreshold = 4;
        c.model.pathways.lifelong.maxRepresentatives = 8;
        c.model.pathways.lifelong.queries = 2;
        c.model.pathways.lifelong.stride = 8;
        c.train.lr = 0.01;
        c.train.epochs = 3;
        // V1 learns this world faster per step than the tiny V2 (measured: 76% vs 64-69% of the ceiling in the
        // same few minutes), and the quickstart has a few minutes.
        c.model.architecture = Architecture.V1;
        c.train.evalUsers = 400;
        c.eval.beamWidth = 20;
        return c.validate("quickstart");
    }
}
