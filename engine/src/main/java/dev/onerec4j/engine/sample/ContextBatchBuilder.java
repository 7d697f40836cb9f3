package dev.onerec4j.engine.sample;

import dev.onerec4j.engine.data.Dataset;
import dev.onerec4j.engine.data.Histories;
import dev.onerec4j.engine.data.UserTable;
import dev.onerec4j.engine.model.config.ModelConfig;
import dev.onerec4j.engine.model.config.PathwayConfig;

import org.eclipse.collections.impl.list.mutable.primitive.IntArrayList;

import java.util.List;

/**
 * Builds the model inputs for (user, target position) pairs from a data set's histories. Every pathway reads only
 * the user's interactions at positions before the target, so a training example never sees its own target or
 * anything after it:
 * <ul>
 *   <li>short-term: the last {@code shortTerm} interactions;</li>
 *   <li>positive feedback: the last {@code positive} positive interactions;</li>
 *   <li>lifelong: the interactions older than the short-term window, compressed by {@link LifelongCompressor};</li>
 *   <li>static: the user's categorical feature codes.</li>
 * </ul>
 * Time gaps are measured from the user's most recent interaction before the target. Thread-safe.
 */
public final class ContextBatchBuilder {

    private final Histories histories;
    private final UserTable users;
    private final FeatureSpace space;
    private final PathwayConfig pathways;
    private final int timeBuckets;
    private final InteractionFeatures features;
    private final LifelongCompressor lifelong;
    /** Per user, the positions of their positive interactions, ascending. */
    private final int[][] positivePositions;

    public ContextBatchBuilder(Dataset dataset, FeatureSpace space, ModelConfig config, ItemVectors vectors) {
        this.histories = dataset.histories();
        this.users = dataset.users();
        this.space = space;
        this.pathways = config.pathways;
        this.timeBuckets = config.timeBuckets;
        this.features = new InteractionFeatures(dataset);
        if (!features.names().equals(space.interactionFeatures())) {
            throw new IllegalArgumentException("data set features " + features.names() + " differ from the feature space "
                    + space.interactionFeatures());
        }
        this.lifelong = pathways.lifelong.enabled()
                ? new LifelongCompressor(histories, features, vectors, pathways.lifelong) : null;
        this.positivePositions = pathways.positive > 0 ? indexPositives(histories) : null;
    }

    private static int[][] indexPositives(Histories h) {
        int[][] out = new int[h.numUsers()][];
        IntArrayList list = new IntArrayList();
        for (int u = 0; u < h.numUsers(); u++) {
            list.clear();
            for (int p = 0; p < h.length(u); p++) {
                if (h.isPositive(h.row(u, p))) {
                    list.add(p);
                }
            }
            out[u] = list.toArray();
        }
        return out;
    }

    public FeatureSpace space() {
        return space;
    }

    /** Inputs for each {@code users[i]} predicting their interaction at position {@code positions[i]}. */
    public ContextBatch build(int[] users, int[] positions) {
        int b = users.length;
        int fc = features.count();
        SequenceBlock shortTerm = pathways.shortTerm > 0 ? new SequenceBlock(b, pathways.shortTerm, fc) : null;
        SequenceBlock positive = pathways.positive > 0 ? new SequenceBlock(b, pathways.positive, fc) : null;
        SequenceBlock life = lifelong != null ? new SequenceBlock(b, pathways.lifelong.maxRepresentatives, fc) : null;
        List<UserTable.CategoricalFeature> userFeatures = this.users.features();
        int nf = userFeatures.size();
        int[] codes = new int[b * nf];
        for (int i = 0; i < b; i++) {
            int u = users[i];
            int p = positions[i];
            if (p < 0 || p > histories.length(u)) {
                throw new IllegalArgumentException("position " + p + " is outside user " + u + "'s history of "
                        + histories.length(u));
            }
            int offset = 0;
            for (int f = 0; f < nf; f++) {
                codes[i * nf + f] = offset + userFeatures.get(f).code(u);
                offset += space.userFeatureSizes()[f];
            }
            long now = p == 0 ? 0 : histories.timestamp(histories.row(u, p - 1));
            if (shortTerm != null) {
                int from = Math.max(0, p - shortTerm.length);
                fillRows(shortTerm, i, u, from, p, null, now);
            }
            if (positive != null) {
                fillPositive(positive, i, u, p, now);
            }
            if (life != null) {
                fillLifelong(life, i, u, Math.max(0, p - pathways.shortTerm), now);
            }
        }
        return new ContextBatch(users.clone(), codes, shortTerm, positive, life);
    }

    /** Fills example {@code i} of {@code block} right-aligned with positions {@code from..to-1} (or the listed ones). */
    private void fillRows(SequenceBlock block, int i, int u, int from, int to, int[] list, long now) {
        int n = to - from;
        int start = block.length - n;
        for (int k = 0; k < n; k++) {
            int pos = list == null ? from + k : list[from + k];
            int row = histories.row(u, pos);
            int at = block.at(i, start + k);
            block.items[at] = histories.item(row);
            features.write(row, block.features, at * block.featureCount);
            block.timeBuckets[at] = TimeGaps.bucket(now - histories.timestamp(row), timeBuckets);
            block.mask[at] = 1;
        }
    }

    private void fillPositive(SequenceBlock block, int i, int u, int p, long now) {
        int[] list = positivePositions[u];
        int end = lowerBound(list, p);
        int from = Math.max(0, end - block.length);
        fillRows(block, i, u, from, end, list, now);
    }

    private void fillLifelong(SequenceBlock block, int i, int u, int windowStart, long now) {
        LifelongCompressor.Compressed c = lifelong.forWindowStart(u, windowStart);
        int n = c.size();
        int start = block.length - n;
        int fc = block.featureCount;
        for (int k = 0; k < n; k++) {
            int at = block.at(i, start + k);
            block.items[at] = c.items()[k];
            System.arraycopy(c.features(), k * fc, block.features, at * fc, fc);
            block.timeBuckets[at] = TimeGaps.bucket(now - c.meanTimes()[k], timeBuckets);
            block.mask[at] = 1;
        }
    }

    /** First index of {@code sorted} whose value is >= {@code key}. */
    private static int lowerBound(int[] sorted, int key) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < key) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
