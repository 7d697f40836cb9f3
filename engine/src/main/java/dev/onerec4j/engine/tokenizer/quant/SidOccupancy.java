package dev.onerec4j.engine.tokenizer.quant;

import dev.onerec4j.engine.tokenizer.SidPacking;
import org.eclipse.collections.impl.map.mutable.primitive.LongIntHashMap;
import org.eclipse.collections.impl.set.mutable.primitive.LongHashSet;

/**
 * Which semantic IDs are taken, with the number of taken IDs below every prefix, so a search for a free ID can
 * skip a full subtree at once. Not thread-safe: callers serialise additions.
 */
public final class SidOccupancy {

    private final SidPacking packing;
    private final LongHashSet taken = new LongHashSet();
    private final LongIntHashMap takenBelow = new LongIntHashMap();

    public SidOccupancy(SidPacking packing) {
        this.packing = packing;
    }

    public SidPacking packing() {
        return packing;
    }

    public boolean isTaken(int[] sid, int off) {
        return taken.contains(packing.key(sid, off));
    }

    /** Whether every ID below the prefix {@code sid[off, off + depth)} is taken. */
    public boolean isFull(int[] sid, int off, int depth) {
        if (depth == packing.levels()) {
            return isTaken(sid, off);
        }
        return takenBelow.getIfAbsent(packing.prefixKey(sid, off, depth), 0) >= packing.leavesBelow(depth);
    }

    /** Marks the ID at {@code sid[off, ...)} as taken; returns false (and changes nothing) if it already was. */
    public boolean take(int[] sid, int off) {
        if (!taken.add(packing.key(sid, off))) {
            return false;
        }
        for (int depth = 0; depth < packing.levels(); depth++) {
            takenBelow.addToValue(packing.prefixKey(sid, off, depth), 1);
        }
        return true;
    }

    public int size() {
        return taken.size();
    }
}
