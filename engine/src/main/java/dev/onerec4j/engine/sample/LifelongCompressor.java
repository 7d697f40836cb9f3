package dev.onerec4j.engine.sample;

import dev.onerec4j.engine.data.Histories;
import dev.onerec4j.engine.model.config.LifelongConfig;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Compresses a user's long history into cluster representatives (the lifelong pathway's behaviour compression and
 * feature aggregation, report section 2.2.1): hierarchical k-means over item vectors; each cluster is represented
 * by the item closest to its centre, whose label features it inherits, while continuous features and the time
 * are averaged over the cluster. The most recent {@code maxRepresentatives} clusters (by mean time) are kept,
 * oldest first. Results are cached per (user, history checkpoint): compression reads only rows before the
 * checkpoint, which is never after the example's target.
 */
public final class LifelongCompressor {

    private static final int CACHE_LIMIT = 200_000;

    /** The representatives of one compressed history, oldest first. */
    public record Compressed(int[] items, float[] features, double[] meanTimes) {
        public int size() {
            return items.length;
        }
    }

    private final Histories histories;
    private final InteractionFeatures features;
    private final LifelongConfig config;
    private final HierarchicalKMeans kMeans;
    private final ItemVectors vectors;
    private final boolean[] continuous;
    private final ConcurrentHashMap<Long, Compressed> cache = new ConcurrentHashMap<>();

    public LifelongCompressor(Histories histories, InteractionFeatures features, ItemVectors vectors,
                              LifelongConfig config) {
        this.histories = histories;
        this.features = features;
        this.config = config;
        this.vectors = vectors;
        this.kMeans = new HierarchicalKMeans(vectors, config.clusterThreshold);
        this.continuous = new boolean[features.count()];
        for (int j = 0; j < continuous.length; j++) {
            continuous[j] = InteractionFeatures.isContinuous(features.names().get(j));
        }
    }

    /**
     * The compressed lifelong history of {@code user} for a target whose input window starts at position
     * {@code windowStart} (everything before it is lifelong history).
     */
    public Compressed forWindowStart(int user, int windowStart) {
        int checkpoint = windowStart / config.stride * config.stride;
        if (checkpoint <= 0) {
            return new Compressed(new int[0], new float[0], new double[0]);
        }
        long key = ((long) user << 32) | checkpoint;
        Compressed c = cache.get(key);
        if (c == null) {
            c = compress(user, Math.max(0, checkpoint - config.length), checkpoint);
            if (cache.size() > CACHE_LIMIT) {
                cache.clear();
            }
            cache.put(key, c);
        }
        return c;
    }

    /**
     * The clustering seed of a compressed window: a function of the window's items and where it ends, not of the
     * user's index in a data set, so a served request that sends the same history gets the same compression.
     */
    static long seedOf(int[] items, int to) {
        long seed = to;
        for (int item : items) {
            seed = seed * 0x9E3779B97F4A7C15L + item;
        }
        return seed;
    }

    /** Compresses positions {@code [from, to)} of {@code user}'s history. */
    Compressed compress(int user, int from, int to) {
        int n = to - from;
        int[] rows = new int[n];
        int[] items = new int[n];
        for (int p = 0; p < n; p++) {
            rows[p] = histories.row(user, from + p);
            items[p] = histories.item(rows[p]);
        }
        List<int[]> clusters = kMeans.cluster(items, seedOf(items, to));
        int fc = features.count();
        float[] row = new float[fc];
        List<float[]> featureRows = new ArrayList<>();
        List<double[]> meta = new ArrayList<>();
        int dim = vectors.dim();
        for (int[] members : clusters) {
            float[] centre = new float[dim];
            for (int m : members) {
                for (int d = 0; d < dim; d++) {
                    centre[d] += vectors.get(items[m], d) / members.length;
                }
            }
            int rep = members[0];
            double best = Double.MAX_VALUE;
            double meanTime = 0;
            float[] agg = new float[fc];
            for (int m : members) {
                double dist = kMeans.distance(items[m], centre, 0);
                if (dist < best) {
                    best = dist;
                    rep = m;
                }
                meanTime += (double) histories.timestamp(rows[m]) / members.length;
                features.write(rows[m], row, 0);
                for (int j = 0; j < fc; j++) {
                    if (continuous[j]) {
                        agg[j] += row[j] / members.length;
                    }
                }
            }
            features.write(rows[rep], row, 0);
            for (int j = 0; j < fc; j++) {
                if (!continuous[j]) {
                    agg[j] = row[j];
                }
            }
            featureRows.add(agg);
            meta.add(new double[] {meanTime, rep});
        }
        Integer[] order = new Integer[clusters.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, Comparator.comparingDouble((Integer i) -> meta.get(i)[0]).thenComparingInt(i -> i));
        int keep = Math.min(order.length, config.maxRepresentatives);
        int skip = order.length - keep;
        int[] outItems = new int[keep];
        float[] outFeatures = new float[keep * fc];
        double[] outTimes = new double[keep];
        for (int j = 0; j < keep; j++) {
            int c = order[skip + j];
            outItems[j] = items[(int) meta.get(c)[1]];
            System.arraycopy(featureRows.get(c), 0, outFeatures, j * fc, fc);
            outTimes[j] = meta.get(c)[0];
        }
        return new Compressed(outItems, outFeatures, outTimes);
    }
}
