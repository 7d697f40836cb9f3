package dev.onerec4j.engine.serve.beam;

import org.eclipse.collections.impl.set.mutable.primitive.IntHashSet;

/** A set of items a request must not get back (its history, items it excludes). */
public final class ItemFilter {

    private final IntHashSet items;

    private ItemFilter(IntHashSet items) {
        this.items = items;
    }

    public static ItemFilter of(int... items) {
        return new ItemFilter(IntHashSet.newSetWith(items));
    }

    public boolean contains(int item) {
        return items.contains(item);
    }

    public int size() {
        return items.size();
    }
}
