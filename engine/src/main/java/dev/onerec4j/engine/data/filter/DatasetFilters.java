package dev.onerec4j.engine.data.filter;

import org.eclipse.collections.impl.list.mutable.primitive.IntArrayList;

import dev.onerec4j.engine.data.Dataset;
import dev.onerec4j.engine.data.Histories;

/**
 * Filters that shrink a data set and re-index it densely (kept users and items keep their relative order).
 * Dropped items leave the catalogue and every history; dropped users leave the user table.
 */
public final class DatasetFilters {

    private DatasetFilters() {
    }

    /** Keeps users with at least {@code min} interactions. */
    public static Dataset minUserInteractions(Dataset dataset, int min) {
        return apply(dataset, min, 0, false);
    }

    /** Keeps items with at least {@code min} interactions (removing the others from histories too). */
    public static Dataset minItemInteractions(Dataset dataset, int min) {
        return apply(dataset, 0, min, false);
    }

    /** Removes catalogue items that no user interacted with. */
    public static Dataset dropUnusedItems(Dataset dataset) {
        return minItemInteractions(dataset, 1);
    }

    /**
     * The k-core: repeatedly drops users and items with fewer than {@code k} interactions until every remaining
     * user and item has at least {@code k} (the "5-core" of the Amazon benchmarks).
     */
    public static Dataset kCore(Dataset dataset, int k) {
        return apply(dataset, k, k, true);
    }

    private static Dataset apply(Dataset dataset, int minUser, int minItem, boolean iterate) {
        if (minUser < 0 || minItem < 0) {
            throw new IllegalArgumentException("minimum counts must be >= 0");
        }
        Histories h = dataset.histories();
        boolean[] userAlive = new boolean[dataset.numUsers()];
        boolean[] itemAlive = new boolean[dataset.numItems()];
        java.util.Arrays.fill(userAlive, true);
        java.util.Arrays.fill(itemAlive, true);
        boolean changed = true;
        while (changed) {
            changed = false;
            int[] itemCount = new int[itemAlive.length];
            int[] userCount = new int[userAlive.length];
            for (int u = 0; u < userAlive.length; u++) {
                if (!userAlive[u]) {
                    continue;
                }
                for (int r = h.start(u); r < h.end(u); r++) {
                    if (itemAlive[h.item(r)]) {
                        userCount[u]++;
                        itemCount[h.item(r)]++;
                    }
                }
            }
            for (int i = 0; i < itemAlive.length; i++) {
                if (itemAlive[i] && itemCount[i] < minItem) {
                    itemAlive[i] = false;
                    changed = true;
                }
            }
            for (int u = 0; u < userAlive.length; u++) {
                if (userAlive[u] && userCount[u] < minUser) {
                    userAlive[u] = false;
                    changed = true;
                }
            }
            changed &= iterate;
        }
        return dataset.select(indicesOf(userAlive), indicesOf(itemAlive));
    }

    private static int[] indicesOf(boolean[] alive) {
        IntArrayList keep = new IntArrayList();
        for (int i = 0; i < alive.length; i++) {
            if (alive[i]) {
                keep.add(i);
            }
        }
        return keep.toArray();
    }
}
