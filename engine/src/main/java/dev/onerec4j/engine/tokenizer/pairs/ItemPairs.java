package dev.onerec4j.engine.tokenizer.pairs;

import java.util.SplittableRandom;

/**
 * Item pairs that should be close in the aligned embedding space: pair {@code p} is
 * {@code (first(p), second(p))}. The first {@code userToItem()} pairs come from user histories, the rest from
 * item-to-item similarity. Immutable.
 */
public final class ItemPairs {

    private final int[] first;
    private final int[] second;
    private final int userToItem;

    public ItemPairs(int[] first, int[] second, int userToItem) {
        if (first.length != second.length || userToItem < 0 || userToItem > first.length) {
            throw new IllegalArgumentException("item pairs: " + first.length + " first and " + second.length
                    + " second items, " + userToItem + " user-to-item pairs");
        }
        this.first = first;
        this.second = second;
        this.userToItem = userToItem;
    }

    public int size() {
        return first.length;
    }

    public int first(int p) {
        return first[p];
    }

    public int second(int p) {
        return second[p];
    }

    /** Number of user-to-item pairs (they come first). */
    public int userToItem() {
        return userToItem;
    }

    public int itemToItem() {
        return first.length - userToItem;
    }

    /**
     * A seeded random split: {@code [0]} keeps about {@code 1 - heldOutShare} of the pairs, {@code [1]} the rest
     * (for measuring the encoder on pairs it did not train on).
     */
    public ItemPairs[] split(double heldOutShare, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        boolean[] held = new boolean[size()];
        int heldCount = 0;
        int heldU2i = 0;
        for (int p = 0; p < size(); p++) {
            held[p] = r.nextDouble() < heldOutShare;
            if (held[p]) {
                heldCount++;
                if (p < userToItem) {
                    heldU2i++;
                }
            }
        }
        int[] f0 = new int[size() - heldCount];
        int[] s0 = new int[f0.length];
        int[] f1 = new int[heldCount];
        int[] s1 = new int[heldCount];
        int a = 0;
        int b = 0;
        for (int p = 0; p < size(); p++) {
            if (held[p]) {
                f1[b] = first[p];
                s1[b++] = second[p];
            } else {
                f0[a] = first[p];
                s0[a++] = second[p];
            }
        }
        return new ItemPairs[] {new ItemPairs(f0, s0, userToItem - heldU2i), new ItemPairs(f1, s1, heldU2i)};
    }
}
