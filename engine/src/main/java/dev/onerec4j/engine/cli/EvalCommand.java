package dev.onerec4j.engine.cli;

import dev.onerec4j.engine.data.Dataset;
import dev.onerec4j.engine.data.DatasetFormat;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.onerec4j.engine.UserException;
import dev.onerec4j.engine.align.AlignmentReport;
import dev.onerec4j.engine.data.synthetic.SyntheticWorld;
import dev.onerec4j.engine.data.synthetic.WorldFile;
import dev.onerec4j.engine.eval.EvalReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** Leave-one-out evaluation of a trained run over the whole catalogue. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate a trained run (leave-one-out, whole catalogue): Recall@5/10, NDCG@5/10, legality; on "
                + "simulator data also the true value of the top-k (value@k, pass@k); with --reward the mean P-Score.")
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

    @Option(names = "--json", description = "Print the report as JSON instead of a table (no progress bar).")
    boolean json;

    @Option(names = "--no-progress", description = "Do not draw the progress bar.")
    boolean noProgress;

    @Option(names = "--reward", description = "A reward model folder (train-reward): also report the mean P-Score "
            + "of the top-k lists.")
    Path reward;

    @Option(names = "--select", defaultValue = "0", description = "Reward-model selection: generate this many "
            + "items and keep the k with the highest P-Score (needs --reward; 0 = off).")
    int select;

    @Option(names = "--value-users", defaultValue = "0", description = "Test users for the value report "
            + "(P-Score, simulator value; 0 = all).")
    int valueUsers;

    @Override
    public Integer call() throws Exception {
        Dataset dataset = DatasetFormat.parse(format).read(data);
        SyntheticWorld world = WorldFile.open(data, dataset).orElse(null);
        if (select > 0 && reward == null) {
            throw new UserException("--select needs --reward (the reward model that ranks the candidates)");
        }
        EvalReport report = Evaluation.run(model, dataset, split, keepHistory, !json && !noProgress, beam);
        if (world == null && reward == null) {
            System.out.print(json ? report.toJson() + "\n" : report.table());
            return 0;
        }
        AlignmentReport value = ValueEvaluation.run(model, reward, dataset, world, split, keepHistory, beam, select,
                valueUsers);
        if (json) {
            ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            ObjectNode root = m.createObjectNode();
            root.set("eval", m.readTree(report.toJson()));
            root.set("value", m.valueToTree(value));
            System.out.println(m.writeValueAsString(root));
        } else {
            System.out.print(report.table());
            System.out.println();
            System.out.println("top-" + value.k() + " lists" + (select > 0 ? " chosen by P-Score from " + select
                    + " generated items" : "") + " (" + value.users() + " test users):");
            System.out.print(value.table());
        }
        return 0;
    }
}
