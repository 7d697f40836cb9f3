package dev.onerec4j.engine.tokenizer.metrics;

import dev.onerec4j.engine.data.Histories;
import dev.onerec4j.engine.data.split.LeaveOneOutSplit;
import org.eclipse.collections.impl.list.mutable.primitive.IntArrayList;

import java.util.SplittableRandom;

/**
 * Whether semantic IDs carry meaning: how often two items that users consume one after the other share their
 * first token, against two baselines — uniformly random item pairs, and the same pairs with their second items
 * shuffled (random pairs with the same item popularity). Measured on held-out pairs the tokenizer never saw
 * (each evaluated user's validation and test items) and on training pairs (consecutive training positives).
 *
 * @param pairs          co-consumed pairs measured
 * @param shared         share of them whose first tokens are equal
 * @param uniformShared  same share for uniformly random pairs
 * @param shuffledShared same share for the pairs with their second items shuffled
 */
public record CoConsumption(int pairs, double shared, double uniformShared, double shuffledShared) {

    /** {@code shared / uniformShared}. */
    public double ratio() {
        return uniformShared == 0 ? Double.POSITIVE_INFINITY : shared / uniformShared;
    }

    /** {@code shared / shuffledShared}. */
    public double popularityMatchedRatio() {
        return shuffledShared == 0 ? Double.POSITIVE_INFINITY : shared / shuffledShared;
    }

    /** Held-out pairs: (validation item, test item) of every user with both, positive and distinct. */
    public static int[][] heldOutPairs(LeaveOneOutSplit split) {
        Histories h = split.histories();
        IntArrayList a = new IntArrayList();
        IntArrayList b = new IntArrayList();
        for (int u = 0; u < h.numUsers(); u++) {
            int n = h.length(u);
            if (n < LeaveOneOutSplit.MIN_EVALUATED_LENGTH) {
                continue;
            }
            int rv = h.row(u, n - 2);
            int rt = h.row(u, n - 1);
            if (h.isPositive(rv) && h.isPositive(rt) && h.item(rv) != h.item(rt)) {
                a.add(h.item(rv));
                b.add(h.item(rt));
            }
        }
        return new int[][] {a.toArray(), b.toArray()};
    }

    /** Training pairs: consecutive positives in the training part of each history, distinct items. */
    public static int[][] trainingPairs(LeaveOneOutSplit split) {
        Histories h = split.histories();
        IntArrayList a = new IntArrayList();
        IntArrayList b = new IntArrayList();
        for (int u = 0; u < h.numUsers(); u++) {
            int previous = -1;
            for (int p = 0; p < split.trainEnd(u); p++) {
                int row = h.row(u, p);
                if (!h.isPositive(row)) {
                    continue;
                }
                int item = h.item(row);
                if (previous >= 0 && previous != item) {
                    a.add(previous);
                    b.add(item);
                }
                previous = item;
            }
        }
        return new int[][] {a.toArray(), b.toArray()};
    }

    /**
     * Measures the pairs {@code (pairs[0][p], pairs[1][p])} against items' first tokens {@code codes[i * levels]}.
     */
    public static CoConsumption measure(int[][] pairs, int[] codes, int levels, int numItems, long seed) {
        int n = pairs[0].length;
        if (n == 0 || numItems < 2) {
            return new CoConsumption(0, 0, 0, 0);
        }
        SplittableRandom r = new SplittableRandom(seed);
        int[] shuffled = pairs[1].clone();
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = shuffled[i];
            shuffled[i] = shuffled[j];
            shuffled[j] = t;
        }
        long same = 0;
        long uniform = 0;
        long shuffledSame = 0;
        int rounds = Math.max(1, 200_000 / n);
        for (int p = 0; p < n; p++) {
            same += codes[pairs[0][p] * levels] == codes[pairs[1][p] * levels] ? 1 : 0;
            shuffledSame += codes[pairs[0][p] * levels] == codes[shuffled[p] * levels] ? 1 : 0;
        }
        long uniformPairs = (long) rounds * n;
        for (long q = 0; q < uniformPairs; q++) {
            int i = r.nextInt(numItems);
            int j = r.nextInt(numItems - 1);
            j = j >= i ? j + 1 : j;
            uniform += codes[i * levels] == codes[j * levels] ? 1 : 0;
        }
        return new CoConsumption(n, (double) same / n, (double) uniform / uniformPairs, (double) shuffledSame / n);
    }
}
