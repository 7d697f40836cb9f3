package dev.onerec4j.engine.tokenizer.pairs;

/**
 * How collaborative item pairs are mined.
 *
 * @param swingAlpha         smoothing of the Swing score {@code 1 / (alpha + |I_u ∩ I_v|)}
 * @param maxUsersPerItem    users per item that take part in Swing (a seeded sample of the item's users beyond
 *                           that; bounds the quadratic cost of popular items)
 * @param maxItemsPerUser    a user's most recent distinct positives that take part in Swing
 * @param neighbours         Swing neighbours kept per item
 * @param itemToItemPerItem  item-to-item pairs per item: its best Swing neighbours
 * @param historyWindow      user-to-item pairs: a target is paired with the most similar of the user's
 *                           {@code historyWindow} previous positives
 * @param seed               for the sampling of users
 */
public record PairSettings(double swingAlpha, int maxUsersPerItem, int maxItemsPerUser, int neighbours,
                           int itemToItemPerItem, int historyWindow, long seed) {

    public PairSettings {
        if (!(swingAlpha > 0) || maxUsersPerItem < 2 || maxItemsPerUser < 2 || neighbours < 1
                || itemToItemPerItem < 0 || itemToItemPerItem > neighbours || historyWindow < 1) {
            throw new IllegalArgumentException("pair settings: need alpha > 0, maxUsersPerItem >= 2, "
                    + "maxItemsPerUser >= 2, neighbours >= 1, 0 <= itemToItemPerItem <= neighbours, historyWindow >= 1");
        }
    }

    public static PairSettings defaults(long seed) {
        return new PairSettings(1.0, 200, 100, 30, 5, 10, seed);
    }
}
