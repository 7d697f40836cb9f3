package dev.onerec4j.engine.cli;

import dev.onerec4j.engine.data.Dataset;
import dev.onerec4j.engine.data.DatasetFormat;
import dev.onerec4j.engine.eval.EvalReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** Leave-one-out evaluation of a trained run over the whole catalogue. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate a trained run (leave-one-out, whole catalogue): Recall@5/10, NDCG@5/10, legality.")
public final class EvalCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, description = "Run folder written by train or quickstart.")
    Path model;

    @Option(names = "--data", required = true, description = "Data set folder (the one the run was trained on).")
    Path data;

    @Option(names = "--format", required = true, description = "Data set format: amazon, ml-1m, ml-100k, kuairand or csv.")
    String format;

    @Option(names = "--split", defaultValue = "test", description = "valid or test. Default: ${DEFAULT-VALUE}.")
    String split;

    @Option(names = "--keep-history", description = "Keep the users' history items in the ranking (default: excluded).")
    boolean keepHistory;

    @Option(names = "--beam", defaultValue = "-1", description = "Beam width (default: the run's configured width).")
    int beam;

    @Option(names = "--json", description = "Print the report as JSON instead of a table.")
    boolean json;

    @Override
    public Integer call() {
        Dataset dataset = DatasetFormat.parse(format).read(data);
        EvalReport report = Evaluation.run(model, dataset, split, keepHistory, !json, beam);
        System.out.print(json ? report.toJson() + "\n" : report.table());
        return 0;
    }
}
