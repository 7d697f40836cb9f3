package dev.onerec4j.engine.tokenizer.pairs;

import dev.onerec4j.kernels.Parallel;
import org.eclipse.collections.impl.list.mutable.primitive.IntArrayList;

/**
 * Mines the item pairs of the OneRec report's section 2.1.1 from training positives:
 * <ol>
 *   <li><b>user-to-item</b>: every positive target of a user (after the first) paired with the most
 *       collaboratively similar (Swing) item among the user's {@code historyWindow} previous positives; a target
 *       none of whose recent items is a Swing neighbour is paired with the item just before it, the strongest
 *       sequential signal left;</li>
 *   <li><b>item-to-item</b>: every item paired with its {@code itemToItemPerItem} best Swing neighbours.</li>
 * </ol>
 * Users are processed in parallel; each user's pairs land in its own slot, so the result (order included) is
 * deterministic.
 */
public final class CollaborativePairs {

    private CollaborativePairs() {
    }

    /** The pairs plus how many user-to-item pairs fell back to the previous item. */
    public record Mined(ItemPairs pairs, int sequentialFallbacks) {
    }

    public static Mined mine(TrainingPositives positives, SwingSimilarity swing, PairSettings s) {
        int users = positives.numUsers();
        int[][] perUser = new int[users][];
        int[] fallbacks = new int[users];
        Parallel.forRange(users, 64, (from, to) -> {
            IntArrayList pairs = new IntArrayList();
            for (int u = from; u < to; u++) {
                pairs.clear();
                int n = positives.length(u);
                for (int t = 1; t < n; t++) {
                    int target = positives.item(u, t);
                    int best = -1;
                    float bestScore = 0f;
                    for (int h = Math.max(0, t - s.historyWindow()); h < t; h++) {
                        int candidate = positives.item(u, h);
                        if (candidate == target) {
                            continue;
                        }
                        float score = swing.similarity(target, candidate);
                        if (score > bestScore) {
                            bestScore = score;
                            best = candidate;
                        }
                    }
                    if (best < 0) {
                        int previous = positives.item(u, t - 1);
                        if (previous == target) {
                            continue;
                        }
                        best = previous;
                        fallbacks[u]++;
                    }
                    pairs.add(target);
                    pairs.add(best);
                }
                perUser[u] = pairs.toArray();
            }
        });
        IntArrayList first = new IntArrayList();
        IntArrayList second = new IntArrayList();
        int fallbackTotal = 0;
        for (int u = 0; u < users; u++) {
            for (int p = 0; p < perUser[u].length; p += 2) {
                first.add(perUser[u][p]);
                second.add(perUser[u][p + 1]);
            }
            fallbackTotal += fallbacks[u];
        }
        int userToItem = first.size();
        for (int i = 0; i < swing.numItems(); i++) {
            int k = Math.min(s.itemToItemPerItem(), swing.neighbourCount(i));
            for (int r = 0; r < k; r++) {
                first.add(i);
                second.add(swing.neighbour(i, r));
            }
        }
        return new Mined(new ItemPairs(first.toArray(), second.toArray(), userToItem), fallbackTotal);
    }
}
