package dev.onerec4j.engine.reward;

import dev.onerec4j.engine.data.Dataset;
import dev.onerec4j.engine.data.Histories;
import dev.onerec4j.engine.data.UserTable;

import org.eclipse.collections.impl.list.mutable.primitive.IntArrayList;
import org.eclipse.collections.impl.map.mutable.primitive.IntIntHashMap;

import java.util.List;

/**
 * Builds {@link RewardInputs} from histories: for a row (user, position, item) the history is the user's last
 * {@code history} interactions before {@code position} (so a logged row never sees its own feedback), the item is
 * described by its id and first content tokens, the user by their categorical features. The same routine serves
 * training (a data set's users) and serving (the requests of a batch as a small data set, user {@code r} being
 * request {@code r} at the position after its history; item tokens then come from the reward folder). History
 * interactions with items the reward model has never seen (added to a served catalogue after it was trained) are
 * left out. Thread-safe.
 */
public final class RewardFeatures {

    private final Histories histories;
    private final ItemTokens items;
    private final UserTable userTable;
    private final int history;
    private final int[] featureOffsets;
    private final int featureRows;

    /** Features of a data set's users over its own items. */
    public RewardFeatures(Dataset dataset, int history, int contentTokens) {
        this(dataset.histories(), dataset.users(), ItemTokens.of(dataset.items(), contentTokens), history);
    }

    /**
     * Features of the users of {@code histories}/{@code users} over the items of {@code items} (the histories may
     * hold further items, which are left out).
     */
    public RewardFeatures(Histories histories, UserTable users, ItemTokens items, int history) {
        this.histories = histories;
        this.items = items;
        this.userTable = users;
        this.history = history;
        List<UserTable.CategoricalFeature> features = userTable.features();
        this.featureOffsets = new int[features.size()];
        int offset = 0;
        for (int f = 0; f < features.size(); f++) {
            featureOffsets[f] = offset;
            offset += features.get(f).cardinality();
        }
        this.featureRows = offset;
    }

    /** The table sizes a model over these features needs. */
    public RewardShape shape() {
        return new RewardShape(numItems(), numUsers(), vocabularySize(), featureRows, contentTokens());
    }

    /** The items' content tokens these features read. */
    public ItemTokens itemTokens() {
        return items;
    }

    /** Rows of the concatenated user feature table (0 when the data set has no user features). */
    public int userFeatureRows() {
        return featureRows;
    }

    public int userFeatureCount() {
        return featureOffsets.length;
    }

    public int numItems() {
        return items.items();
    }

    public int numUsers() {
        return userTable.size();
    }

    public int vocabularySize() {
        return items.vocabulary();
    }

    public int historyLength() {
        return history;
    }

    public int contentTokens() {
        return items.perItem();
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
            // The last `history` known interactions before p, right-aligned (most recent last).
            int at = (i + 1) * history;
            for (int q = p - 1; q >= 0 && at > i * history; q--) {
                int row = histories.row(u, q);
                int item = histories.item(row);
                if (item < 0 || item >= items.items()) {
                    continue;
                }
                at--;
                hist[at] = slotOf(item, slot, unique);
                mask[at] = 1;
                positive[at] = histories.isPositive(row) ? 1 : 0;
            }
            for (int f = 0; f < nf; f++) {
                codes[i * nf + f] = featureOffsets[f] + features.get(f).code(u);
            }
        }
        int[] uniq = unique.toArray();
        int tokens = items.perItem();
        int[] tok = new int[uniq.length * tokens];
        float[] tokMask = new float[uniq.length * tokens];
        for (int j = 0; j < uniq.length; j++) {
            int n = items.length(uniq[j]);
            for (int t = 0; t < n; t++) {
                tok[j * tokens + t] = items.token(uniq[j], t);
                tokMask[j * tokens + t] = 1;
            }
        }
        return new RewardInputs(b, history, users.clone(), uniq, tok, tokMask, targets, hist, mask, positive, codes);
    }

    private int slotOf(int item, IntIntHashMap slot, IntArrayList unique) {
        if (item < 0 || item >= items.items()) {
            throw new IllegalArgumentException("reward inputs: item " + item + " is not in 0.." + (items.items() - 1));
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
