package dev.onerec4j.engine.tokenizer.pairs;

import dev.onerec4j.engine.tokenizer.Progress;
import dev.onerec4j.kernels.Parallel;
import org.eclipse.collections.impl.list.mutable.primitive.IntArrayList;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Swing item-to-item similarity (Yang et al. 2020, the similarity the OneRec report uses for item pairs):
 * <pre>
 *   sim(i, j) = sum over pairs of users {u, v} who both consumed i and j of  w_u * w_v / (alpha + |I_u ∩ I_v|)
 * </pre>
 * with {@code w_u = (|I_u| + 5)^-0.35}. Two users who share little besides i and j are strong evidence that i
 * and j belong together; users who share a lot are weak evidence. Computed per item in parallel (each task
 * owns a dense score buffer and the list of items it touched); only the {@code neighbours} best of each item are
 * kept, sorted by score.
 */
public final class SwingSimilarity {

    private static final double USER_WEIGHT_EXPONENT = -0.35;
    private static final double USER_WEIGHT_OFFSET = 5.0;

    private final int neighbours;
    private final int[] counts;
    private final int[] items;
    private final float[] scores;

    private SwingSimilarity(int neighbours, int[] counts, int[] items, float[] scores) {
        this.neighbours = neighbours;
        this.counts = counts;
        this.items = items;
        this.scores = scores;
    }

    /** Computes the similarity from the training positives; one progress unit per item. */
    public static SwingSimilarity compute(TrainingPositives positives, PairSettings s, Progress progress) {
        int numItems = positives.numItems();
        int users = positives.numUsers();
        int[][] userItems = new int[users][];
        double[] weight = new double[users];
        for (int u = 0; u < users; u++) {
            userItems[u] = positives.recentItemSet(u, s.maxItemsPerUser());
            weight[u] = Math.pow(userItems[u].length + USER_WEIGHT_OFFSET, USER_WEIGHT_EXPONENT);
        }
        int[][] itemUsers = usersPerItem(userItems, numItems, s.maxUsersPerItem(), s.seed());
        int k = s.neighbours();
        int[] counts = new int[numItems];
        int[] items = new int[numItems * k];
        float[] scores = new float[numItems * k];
        Parallel.forRange(numItems, 16, (from, to) -> {
            float[] acc = new float[numItems];
            IntArrayList touched = new IntArrayList();
            int[] common = new int[s.maxItemsPerUser()];
            float[] topScores = new float[k];
            int[] topItems = new int[k];
            for (int i = from; i < to; i++) {
                int[] us = itemUsers[i];
                for (int a = 0; a < us.length; a++) {
                    int[] ia = userItems[us[a]];
                    for (int b = a + 1; b < us.length; b++) {
                        int[] ib = userItems[us[b]];
                        int shared = intersect(ia, ib, common);
                        float score = (float) (weight[us[a]] * weight[us[b]] / (s.swingAlpha() + shared));
                        for (int c = 0; c < shared; c++) {
                            int j = common[c];
                            if (j == i) {
                                continue;
                            }
                            if (acc[j] == 0f) {
                                touched.add(j);
                            }
                            acc[j] += score;
                        }
                    }
                }
                int kept = top(acc, touched, k, topItems, topScores);
                counts[i] = kept;
                System.arraycopy(topItems, 0, items, i * k, kept);
                System.arraycopy(topScores, 0, scores, i * k, kept);
                for (int t = 0; t < touched.size(); t++) {
                    acc[touched.get(t)] = 0f;
                }
                touched.clear();
            }
        });
        progress.advance(numItems);
        return new SwingSimilarity(k, counts, items, scores);
    }

    /** For every item, its users (a seeded sample of at most {@code limit}), in user order. */
    private static int[][] usersPerItem(int[][] userItems, int numItems, int limit, long seed) {
        IntArrayList[] lists = new IntArrayList[numItems];
        for (int u = 0; u < userItems.length; u++) {
            for (int i : userItems[u]) {
                if (lists[i] == null) {
                    lists[i] = new IntArrayList();
                }
                lists[i].add(u);
            }
        }
        int[][] out = new int[numItems][];
        for (int i = 0; i < numItems; i++) {
            int[] us = lists[i] == null ? new int[0] : lists[i].toArray();
            if (us.length > limit) {
                SplittableRandom r = new SplittableRandom(seed * 31 + i);
                for (int a = 0; a < limit; a++) {
                    int b = a + r.nextInt(us.length - a);
                    int t = us[a];
                    us[a] = us[b];
                    us[b] = t;
                }
                us = Arrays.copyOf(us, limit);
                Arrays.sort(us);
            }
            out[i] = us;
        }
        return out;
    }

    /** Common elements of two sorted arrays into {@code out}; returns how many. */
    static int intersect(int[] a, int[] b, int[] out) {
        int i = 0;
        int j = 0;
        int n = 0;
        while (i < a.length && j < b.length) {
            int x = a[i];
            int y = b[j];
            if (x < y) {
                i++;
            } else if (x > y) {
                j++;
            } else {
                out[n++] = x;
                i++;
                j++;
            }
        }
        return n;
    }

    /** The {@code k} highest-scoring touched items (ties: lower item first), best first; returns how many. */
    private static int top(float[] acc, IntArrayList touched, int k, int[] topItems, float[] topScores) {
        int filled = 0;
        for (int t = 0; t < touched.size(); t++) {
            int j = touched.get(t);
            float v = acc[j];
            if (filled == k && !(v > topScores[k - 1] || (v == topScores[k - 1] && j < topItems[k - 1]))) {
                continue;
            }
            int pos = filled == k ? k - 1 : filled++;
            while (pos > 0 && (v > topScores[pos - 1] || (v == topScores[pos - 1] && j < topItems[pos - 1]))) {
                topScores[pos] = topScores[pos - 1];
                topItems[pos] = topItems[pos - 1];
                pos--;
            }
            topScores[pos] = v;
            topItems[pos] = j;
        }
        return filled;
    }

    /** Number of neighbours kept for {@code item}. */
    public int neighbourCount(int item) {
        return counts[item];
    }

    /** The {@code rank}-th most similar item to {@code item}. */
    public int neighbour(int item, int rank) {
        return items[item * neighbours + rank];
    }

    public float score(int item, int rank) {
        return scores[item * neighbours + rank];
    }

    /** {@code sim(item, other)} if {@code other} is among {@code item}'s kept neighbours, else 0. */
    public float similarity(int item, int other) {
        int base = item * neighbours;
        for (int r = 0; r < counts[item]; r++) {
            if (items[base + r] == other) {
                return scores[base + r];
            }
        }
        return 0f;
    }

    public int numItems() {
        return counts.length;
    }
}
