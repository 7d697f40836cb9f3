package dev.onerec4j.engine.cli;

import dev.onerec4j.engine.UserException;
import dev.onerec4j.engine.data.Dataset;
import dev.onerec4j.engine.data.DatasetFormat;
import dev.onerec4j.engine.reward.Objective;
import dev.onerec4j.engine.reward.Objectives;
import dev.onerec4j.engine.reward.PScoreModel;
import dev.onerec4j.engine.reward.RewardConfig;
import dev.onerec4j.engine.reward.RewardFeatures;
import dev.onerec4j.engine.reward.RewardReport;
import dev.onerec4j.engine.reward.RewardRows;
import dev.onerec4j.engine.reward.RewardTrainer;
import dev.onerec4j.engine.reward.TrainedReward;
import dev.onerec4j.tensors.DType;
import dev.onerec4j.tensors.MemoryScope;
import dev.onerec4j.tensors.nn.Init;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** Trains the P-Score reward model on a data set's logged feedback and reports the held-out AUC of every tower. */
@Command(name = "train-reward", mixinStandardHelpOptions = true,
        description = "Train the P-Score reward model (one tower per feedback type, fused into the P-Score) on the "
                + "logged feedback; report each tower's AUC on the held-out (validation and test) interactions.")
public final class TrainRewardCommand implements Callable<Integer> {

    @Option(names = "--data", required = true, description = "Data set folder (or file, per format).")
    Path data;

    @Option(names = "--format", required = true, description = "Data set format: amazon, ml-1m, ml-100k, kuairand or csv.")
    String format;

    @Option(names = "--out", required = true, description = "Reward model folder to write (reward.json, reward.safetensors).")
    Path out;

    @Option(names = "--epochs", defaultValue = "8", description = "Passes over the training rows. Default: ${DEFAULT-VALUE}.")
    double epochs;

    @Option(names = "--dim", defaultValue = "32", description = "Item/user representation width. Default: ${DEFAULT-VALUE}.")
    int dim;

    @Option(names = "--hidden", defaultValue = "32", description = "Tower and fusion width. Default: ${DEFAULT-VALUE}.")
    int hidden;

    @Option(names = "--lr", defaultValue = "0.01", description = "Peak learning rate. Default: ${DEFAULT-VALUE}.")
    double lr;

    @Option(names = "--batch-size", defaultValue = "256", description = "Rows per step. Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(names = "--user-ids", description = "Also give every user an id embedding.")
    boolean userIds;

    @Option(names = "--seed", defaultValue = "1", description = "Initialisation and data order seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--json", description = "Print the report as JSON.")
    boolean json;

    @Option(names = "--no-progress", description = "Do not draw a progress bar.")
    boolean noProgress;

    @Override
    public Integer call() throws Exception {
        if (Files.exists(out.resolve(TrainedReward.INFO))) {
            throw new UserException(out + " already holds a reward model: choose another --out");
        }
        RewardConfig c = new RewardConfig();
        c.epochs = epochs;
        c.dim = dim;
        c.hidden = hidden;
        c.lr = lr;
        c.batchSize = batchSize;
        c.userIdEmbedding = userIds;
        c.seed = seed;
        c.validate();
        Dataset dataset = DatasetFormat.parse(format).read(data);
        List<Objective> objectives = Objectives.derive(dataset);
        System.out.println(dataset.summary());
        System.out.println("objectives: " + String.join(", ", objectives.stream()
                .map(o -> o.name() + " (" + o.describe() + ")").toList()));
        RewardFeatures features = new RewardFeatures(dataset, c.history, c.contentTokens);
        try (MemoryScope scope = MemoryScope.owned("reward model")) {
            PScoreModel model = new PScoreModel(new Init(scope, DType.F32, c.seed), c, features, objectives);
            RewardReport report = new RewardTrainer(model, features, c).train(dataset.name(),
                    RewardRows.split(dataset, objectives), !noProgress);
            TrainedReward.save(out, dataset, model, features, c, report);
            System.out.print(json ? new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(report) + "\n" : report.table());
            System.out.println("reward model: " + out.toAbsolutePath());
        }
        return 0;
    }
}
