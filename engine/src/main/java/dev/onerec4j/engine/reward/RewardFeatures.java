package dev.onerec4j.engine.reward;

import dev.onerec4j.engine.data.Dataset;
import dev.onerec4j.engine.data.Histories;
import dev.onerec4j.engine.data.ItemCatalog;
import dev.onerec4j.engine.data.UserTable;

import org.eclipse.collections.impl.list.mutable.primitive.IntArrayList;
import org.eclipse.collections.impl.map.mutable.primitive.IntIntHashMap;

import java.util.List;

/**
 * Builds {@link RewardInputs} from a data set: for a row (user, position, item) the history is the user's last
 * {@code history} interactions before {@code position} (so a logged row never sees its own feedback), the item is
 * described by its id and first content tokens, the user by their categorical features. Thread-safe.
 */
public final class RewardFeatures {

    private final Histories histories;
    private final ItemCatalog items;
    private final UserTable userTable;
    private final int history;
    private final int tokens;
    private final int[] featureOffsets;
    private final int featureRows;

    public RewardFeatures(Dataset dataset, int history, int contentTokens) {
        this.histories = dataset.histories();
        this.items = dataset.items();
        this.userTable = dataset.users();
        this.history = history;
        this.tokens = contentTokens;
        List<UserTable.CategoricalFeature> features = userTable.features();
        this.featureOffsets = new int[features.size()];
        int offset = 0;
        for (int f = 0; f < features.size(); f++) {
            featureOffsets[f] = offset;
            offset += features.get(f).cardinality();
        }
        this.featureRows = offset;
    }

    /** Rows of the concatenated user feature table (0 when the data set has no user features). */
    public int userFeatureRows() {
        return featureRows;
    }

    public int userFeatureCount() {
        return featureOffsets.length;
    }

    public int numItems() {
        return items.size();
    }

    public int numUsers() {
        return userTable.size();
    }

    public int vocabularySize() {
        return items.vocabulary().size();
    }

    public int historyLength() {
        return history;
    }

    public int contentTokens() {
        return tokens;
    }

    /** Inputs for rows {@code (users[i], positions[i], items[i])}. */
    public RewardInputs build(int[] users, int[] positions, int[] rowItems) {
        int b = users.length;
        if (positions.length != b || rowItems.length != b) {
            throw new IllegalArgumentException("reward inputs: " + b + " users, " + positions.length + " positions, "
                    + rowItems.length + " items");
        }
        IntIntHashMap slot = new IntIntHashMap();
        IntArrayList unique = new IntArrayList();
        int[] targets = new int[b];
        int[] hist = new int[b * history];
        float[] mask = new float[b * history];
        float[] positive = new float[b * history];
        int nf = featureOffsets.length;
        int[] codes = new int[b * nf];
        List<UserTable.CategoricalFeature> features = userTable.features();
        for (int i = 0; i < b; i++) {
            int u = users[i];
            int p = positions[i];
            if (u < 0 || u >= userTable.size()) {
                throw new IllegalArgumentException("reward inputs: user " + u + " is not in 0.." + (userTable.size() - 1));
            }
            if (p < 0 || p > histories.length(u)) {
                throw new IllegalArgumentException("reward inputs: position " + p + " is outside user " + u
                        + "'s history of " + histories.length(u));
            }
            targets[i] = slotOf(rowItems[i], slot, unique);
            int from = Math.max(0, p - history);
            int start = history - (p - from);
            for (int k = 0; k < p - from; k++) {
                int row = histories.row(u, from + k);
                int at = i * history + start + k;
                hist[at] = slotOf(histories.item(row), slot, unique);
                mask[at] = 1;
                positive[at] = histories.isPositive(row) ? 1 : 0;
            }
            for (int f = 0; f < nf; f++) {
                codes[i * nf + f] = featureOffsets[f] + features.get(f).code(u);
            }
        }
        int[] uniq = unique.toArray();
        int[] tok = new int[uniq.length * tokens];
        float[] tokMask = new float[uniq.length * tokens];
        for (int j = 0; j < uniq.length; j++) {
            int n = Math.min(tokens, items.tokenCount(uniq[j]));
            for (int t = 0; t < n; t++) {
                tok[j * tokens + t] = items.token(uniq[j], t);
                tokMask[j * tokens + t] = 1;
            }
        }
        return new RewardInputs(b, history, users.clone(), uniq, tok, tokMask, targets, hist, mask, positive, codes);
    }

    private int slotOf(int item, IntIntHashMap slot, IntArrayList unique) {
        if (item < 0 || item >= items.size()) {
            throw new IllegalArgumentException("reward inputs: item " + item + " is not in 0.." + (items.size() - 1));
        }
        int s = slot.getIfAbsent(item, -1);
        if (s < 0) {
            s = unique.size();
            unique.add(item);
            slot.put(item, s);
        }
        return s;
    }
}
