package dev.onerec4j.engine.data.synthetic;

import java.nio.file.Path;
import java.util.SplittableRandom;

import dev.onerec4j.engine.data.CsvDatasetWriter;
import dev.onerec4j.engine.data.Dataset;
import dev.onerec4j.engine.data.DatasetBuilder;
import dev.onerec4j.engine.data.Histories;
import dev.onerec4j.engine.data.ItemCatalog;
import dev.onerec4j.engine.data.PositiveRule;
import dev.onerec4j.engine.data.Signal;
import dev.onerec4j.engine.data.split.Examples;

/**
 * A generated recommendation world with planted structure and exact ground truth, deterministic for its
 * settings (seed included).
 * <ul>
 *   <li>Items belong to latent clusters; each has topic and brand tokens drawn mostly from its cluster's pools
 *       (so content carries the cluster), a style token (noise), a duration, a class (of its cluster) and a
 *       Zipf popularity inside the cluster. Class {@code class0} is over-exposed by the logging policy.</li>
 *   <li>Users have a taste over clusters (a few favourites), a latent vector matched against item latent
 *       vectors, and static features {@code region}, {@code age}, {@code gender} correlated with their top
 *       cluster.</li>
 *   <li>Histories follow a Markov-with-taste process (see {@link UserState}): the next cluster mixes the current
 *       item's cluster transitions with the user's taste, the item inside it is chosen by popularity times latent
 *       match, items never repeat, and with probability {@code overExposure} the logging policy shows an
 *       over-exposed-class item instead. Feedback (click, like, follow, comment, forward, play time) is drawn from
 *       the true engagement (see {@link FeedbackModel}).</li>
 * </ul>
 * User and item indices of {@link #dataset()} are the world's indices (ids {@code u<index>}, {@code i<index>}),
 * also after a csv round trip, so the ground truth applies to data read back with {@code --format csv}.
 */
public final class SyntheticWorld {

    private final LatentWorld latent;
    private final FeedbackModel feedback;
    private final Dataset dataset;

    private SyntheticWorld(SyntheticSettings settings) {
        this.latent = new LatentWorld(settings);
        this.feedback = new FeedbackModel(latent);
        this.dataset = generate();
    }

    /** Builds the world and generates its logged histories. */
    public static SyntheticWorld create(SyntheticSettings settings) {
        return new SyntheticWorld(settings);
    }

    public SyntheticSettings settings() {
        return latent.s;
    }

    /** The logged data set (in memory). */
    public Dataset dataset() {
        return dataset;
    }

    /** Writes {@link #dataset()} as a csv-format directory. */
    public void writeCsv(Path dir, boolean overwrite) {
        CsvDatasetWriter.write(dataset, dir, overwrite);
    }

    /**
     * Writes {@link #dataset()} as a csv-format directory together with {@link WorldFile#NAME}, the settings the
     * world is rebuilt from, so commands reading the folder can query the ground truth (true values, simulated
     * feedback) of the very users and items they read.
     */
    public void writeSimulator(Path dir, boolean overwrite) {
        writeCsv(dir, overwrite);
        WorldFile.write(dir, latent.s);
    }

    public int numClusters() {
        return latent.numClusters;
    }

    /** The latent cluster of {@code item}. */
    public int cluster(int item) {
        return latent.itemCluster[item];
    }

    /** The over-exposed class as a label index of {@code dataset().items()}. */
    public int overExposedClass() {
        return latent.overExposedClass;
    }

    /**
     * The over-exposed class as a label index of {@code data}, a copy of {@link #dataset()} read back from disk
     * (class labels are numbered in the order a reader meets them, so they are matched by name), or -1.
     */
    public int overExposedClassIn(Dataset data) {
        return data.items().classIndex(dataset.items().className(latent.overExposedClass));
    }

    /** Whether {@code item} is in the over-exposed class. */
    public boolean isOverExposed(int item) {
        return latent.isOverExposed(item);
    }

    /**
     * The exact distribution of the item that follows {@code prefix[0..length)} in user {@code user}'s logged
     * history (over all items; consumed items get 0; sums to 1). {@code prefix} must be a history the process
     * can produce (no repeated item).
     */
    public double[] trueNextItemDistribution(int user, int[] prefix, int length) {
        checkUser(user);
        UserState state = new UserState(latent, user);
        for (int k = 0; k < length; k++) {
            state.consume(prefix[k]);
        }
        double[] out = new double[latent.numItems];
        state.distribution(length == 0 ? -1 : prefix[length - 1], out);
        return out;
    }

    /** {@link #trueNextItemDistribution(int, int[], int)} for the whole of {@code prefix}. */
    public double[] trueNextItemDistribution(int user, int[] prefix) {
        return trueNextItemDistribution(user, prefix, prefix.length);
    }

    /** The true distribution of example {@code i}'s target given its history prefix in {@link #dataset()}. */
    public double[] trueNextItemDistribution(Examples examples, int i) {
        Histories h = examples.histories();
        int user = examples.user(i);
        int[] prefix = new int[examples.position(i)];
        for (int p = 0; p < prefix.length; p++) {
            prefix[p] = h.item(h.row(user, p));
        }
        return trueNextItemDistribution(user, prefix, prefix.length);
    }

    /** Expected engagement of {@code user} with {@code item}. */
    public Engagement engagement(int user, int item) {
        checkUser(user);
        return feedback.expected(user, item);
    }

    /** The true value of recommending {@code item} to {@code user}: {@link Engagement#value()}. */
    public double trueValue(int user, int item) {
        return engagement(user, item).value();
    }

    /**
     * Simulates {@code user}'s reaction to being shown {@code item} now, drawing from {@code rng}: the logged signals
     * from the same engagement model as the logged data, plus an explicit dislike with probability
     * {@link #dislikeProbability}. This is the feedback a policy's own recommendations would receive.
     */
    public SimulatedFeedback feedback(int user, int item, SplittableRandom rng) {
        checkUser(user);
        checkItem(item);
        return feedback.simulate(user, item, rng);
    }

    /** The probability that {@code user} dislikes {@code item} when shown it (falls with affinity). */
    public double dislikeProbability(int user, int item) {
        checkUser(user);
        checkItem(item);
        return feedback.dislikeProbability(user, item);
    }

    /** The duration of {@code item} in seconds. */
    public double duration(int item) {
        checkItem(item);
        return latent.duration[item];
    }

    /** The true value of a list: the sum of its items' true values. */
    public double trueListValue(int user, int[] items) {
        double sum = 0;
        for (int item : items) {
            sum += trueValue(user, item);
        }
        return sum;
    }

    private void checkItem(int item) {
        if (item < 0 || item >= latent.numItems) {
            throw new IllegalArgumentException("item " + item + " is not in 0.." + (latent.numItems - 1));
        }
    }

    private void checkUser(int user) {
        if (user < 0 || user >= latent.numUsers) {
            throw new IllegalArgumentException("user " + user + " is not in 0.." + (latent.numUsers - 1));
        }
    }

    // ------------------------------------------------------------------ generation

    private Dataset generate() {
        DatasetBuilder b = new DatasetBuilder("synthetic-" + latent.s.seed());
        addItems(b);
        addUsers(b);
        Signal[] signals = {Signal.CLICK, Signal.LIKE, Signal.FOLLOW, Signal.COMMENT, Signal.FORWARD,
            Signal.PLAY_TIME};
        for (Signal sig : signals) {
            b.declareSignal(sig);
        }
        HistoryGenerator g = new HistoryGenerator(latent, feedback);
        for (int u = 0; u < latent.numUsers; u++) {
            for (int row = g.offsets[u]; row < g.offsets[u + 1]; row++) {
                b.addInteraction(u, g.items[row], g.times[row]);
                for (int j = 0; j < signals.length; j++) {
                    b.setSignal(row, signals[j], g.signals[j][row]);
                }
            }
        }
        Dataset d = b.build(PositiveRule.all(), DatasetBuilder.Ordering.AS_ADDED);
        return d.withPositiveRule(PositiveRule.defaultFor(d.signals(), true));
    }

    private void addItems(DatasetBuilder b) {
        SyntheticSettings s = latent.s;
        SplittableRandom names = new SplittableRandom(s.seed() ^ 0x7F4A7C15L);
        int[] topicNames = LatentWorld.permutation(s.numClusters() * s.topicsPerCluster(), names);
        int[] brandNames = LatentWorld.permutation(s.numClusters() * LatentWorld.BRANDS_PER_CLUSTER, names);
        for (int c = 0; c < s.numClasses(); c++) {
            b.declareClass("class" + c);
        }
        for (int i = 0; i < latent.numItems; i++) {
            int item = b.item("i" + i);
            for (int t : latent.itemTopics[i]) {
                b.addToken(item, "topic", "t" + topicNames[t]);
            }
            b.addToken(item, "brand", "b" + brandNames[latent.itemBrand[i]]);
            b.addToken(item, "style", "s" + latent.itemStyle[i]);
            b.setClass(item, "class" + latent.clusterClass[latent.itemCluster[i]]);
            b.setNumeric(item, ItemCatalog.DURATION, latent.duration[i]);
        }
    }

    private void addUsers(DatasetBuilder b) {
        for (int u = 0; u < latent.numUsers; u++) {
            int user = b.user("u" + u);
            b.setUserFeature(user, "region", "r" + latent.userRegion[u]);
            b.setUserFeature(user, "age", "a" + latent.userAge[u]);
            b.setUserFeature(user, "gender", "g" + latent.userGender[u]);
        }
    }
}
