package dev.onerec4j.engine.reward;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import dev.onerec4j.engine.UserException;
import dev.onerec4j.engine.data.Dataset;
import dev.onerec4j.engine.train.AtomicFiles;
import dev.onerec4j.engine.train.ModelFiles;
import dev.onerec4j.tensors.DType;
import dev.onerec4j.tensors.MemoryScope;
import dev.onerec4j.tensors.nn.Init;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A reward model's folder: {@code reward.json} (objectives, configuration, what data it was trained on, the
 * held-out report), {@code reward.safetensors} (the weights) and {@code items.bin} (the items' content tokens it
 * reads, so that serving needs no data set). {@link #open} restores it for a data set of the same shape and hands
 * out a {@link PScorer}; {@link #openAlone} restores it from the folder alone, for serving.
 */
public final class TrainedReward implements AutoCloseable {

    public static final String INFO = "reward.json";
    public static final String WEIGHTS = "reward.safetensors";
    public static final String ITEMS = "items.bin";
    static final String FORMAT = "onerec4j-reward-1";

    private static final ObjectMapper JSON = com.fasterxml.jackson.databind.json.JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(com.fasterxml.jackson.core.json.JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

    /** The contents of {@code reward.json}. */
    /**
     * The contents of {@code reward.json}; {@code itemDigest} is {@link ItemTokens#digest} of the training items (null
     * in folders written before serving-time selection existed).
     */
    @JsonPropertyOrder({"format", "dataset", "items", "users", "vocabulary", "userFeatureRows", "itemDigest",
            "objectives", "config", "report"})
    public record Info(String format, String dataset, int items, int users, int vocabulary, int userFeatureRows,
                       String itemDigest, List<Objective> objectives, RewardConfig config, RewardReport report) {

        RewardShape shape() {
            return new RewardShape(items, users, vocabulary, userFeatureRows, config.contentTokens);
        }
    }

    private final Info info;
    private final PScoreModel model;
    private final ItemTokens tokens;
    private final RewardFeatures features;
    private final MemoryScope scope;

    private TrainedReward(Info info, PScoreModel model, ItemTokens tokens, RewardFeatures features, MemoryScope scope) {
        this.info = info;
        this.model = model;
        this.tokens = tokens;
        this.features = features;
        this.scope = scope;
    }

    /** Writes a trained model and its report into {@code dir} (created if needed; files replaced atomically). */
    public static void save(Path dir, Dataset dataset, PScoreModel model, RewardFeatures features, RewardConfig config,
                            RewardReport report) {
        try {
            Files.createDirectories(dir);
            Info info = new Info(FORMAT, dataset.name(), features.numItems(), features.numUsers(),
                    features.vocabularySize(), features.userFeatureRows(), ItemTokens.digest(dataset.items()),
                    model.objectives(), config, report);
            features.itemTokens().write(dir.resolve(ITEMS));
            Path tmp = Files.createTempFile(dir, WEIGHTS, ".tmp");
            try {
                ModelFiles.write(tmp, model.stateTensors(), Map.of("objectives", Integer.toString(model.objectives().size())));
                AtomicFiles.move(tmp, dir.resolve(WEIGHTS));
            } finally {
                Files.deleteIfExists(tmp);
            }
            AtomicFiles.writeString(dir.resolve(INFO), JSON.writeValueAsString(info));
        } catch (IOException e) {
            throw new UserException("cannot write the reward model into " + dir + ": " + e.getMessage());
        }
    }

    /** Restores the reward model in {@code dir} for {@code dataset} (the data it was trained on, or one shaped alike). */
    public static TrainedReward open(Path dir, Dataset dataset) {
        Info info = readInfo(dir);
        RewardConfig config = info.config();
        RewardFeatures features = new RewardFeatures(dataset, config.history, config.contentTokens);
        if (features.numItems() != info.items() || features.numUsers() != info.users()
                || features.vocabularySize() != info.vocabulary() || features.userFeatureRows() != info.userFeatureRows()) {
            throw new UserException("the reward model in " + dir + " was trained on " + info.dataset() + " ("
                    + info.users() + " users, " + info.items() + " items, " + info.vocabulary() + " content tokens); "
                    + "the data set " + dataset.name() + " has " + features.numUsers() + " users, " + features.numItems()
                    + " items, " + features.vocabularySize() + " content tokens");
        }
        return load(dir, info, features.itemTokens(), features);
    }

    /**
     * Restores the reward model in {@code dir} from the folder alone (item content tokens from {@code items.bin}):
     * {@link #scorer(RewardFeatures)} then scores over histories the caller supplies, such as served requests.
     */
    public static TrainedReward openAlone(Path dir) {
        Info info = readInfo(dir);
        if (info.itemDigest() == null) {
            throw new UserException("the reward model in " + dir + " records no item catalogue (written by an older "
                    + "train-reward): train it again to serve with it");
        }
        ItemTokens tokens = ItemTokens.read(dir.resolve(ITEMS), info.items(), info.config().contentTokens,
                info.vocabulary());
        return load(dir, info, tokens, null);
    }

    private static Info readInfo(Path dir) {
        Path file = dir.resolve(INFO);
        if (!Files.isRegularFile(file)) {
            throw new UserException(dir + " is not a reward model folder (no " + INFO + "): pass the --out folder of "
                    + "train-reward");
        }
        Info info;
        try {
            info = JSON.readValue(file.toFile(), Info.class);
        } catch (JsonProcessingException e) {
            throw new UserException(file + " cannot be read: " + oneLine(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new UserException(file + " cannot be read: " + oneLine(e.getMessage()));
        }
        if (!FORMAT.equals(info.format()) || info.objectives() == null || info.config() == null) {
            throw new UserException(file + " is not a reward model description (format " + info.format() + ")");
        }
        info.config().validate();
        return info;
    }

    private static String oneLine(String message) {
        return message == null ? "" : message.replaceAll("\\s*\\R\\s*", " ").strip();
    }

    private static TrainedReward load(Path dir, Info info, ItemTokens tokens, RewardFeatures features) {
        MemoryScope scope = MemoryScope.owned("reward " + dir);
        try {
            PScoreModel model = new PScoreModel(new Init(scope, DType.F32, info.config().seed), info.config(),
                    info.shape(), info.objectives());
            ModelFiles.read(dir.resolve(WEIGHTS), model.stateTensors(), "reward model weights");
            model.train(false);
            return new TrainedReward(info, model, tokens, features, scope);
        } catch (RuntimeException e) {
            scope.close();
            throw e;
        }
    }

    public Info info() {
        return info;
    }

    public PScoreModel model() {
        return model;
    }

    /** The items' content tokens the model reads. */
    public ItemTokens itemTokens() {
        return tokens;
    }

    /** A scorer over the data set this model was opened for. */
    public PScorer scorer() {
        if (features == null) {
            throw new IllegalStateException("reward model opened without a data set: use scorer(RewardFeatures)");
        }
        return new PScorer(model, features);
    }

    /** A scorer over {@code features} (built over {@link #itemTokens()} and {@link RewardConfig#history}). */
    public PScorer scorer(RewardFeatures features) {
        return new PScorer(model, features);
    }

    @Override
    public void close() {
        scope.close();
    }
}
