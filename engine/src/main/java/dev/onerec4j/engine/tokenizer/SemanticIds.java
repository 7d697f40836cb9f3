package dev.onerec4j.engine.tokenizer;

import org.eclipse.collections.api.map.primitive.MutableLongIntMap;
import org.eclipse.collections.impl.map.mutable.primitive.LongIntHashMap;

import java.util.Arrays;

/**
 * The semantic ID of every item: {@code levels} tokens, token {@code l} in {@code [0, codebookSize(l))}. Lookups
 * both ways and the trie of valid IDs for constrained decoding. Reads are lock-free against an immutable
 * snapshot; {@link #add} (cold start) publishes a new snapshot, so decoding never sees a half-added item.
 */
public final class SemanticIds {

    private final int levels;
    private final int[] codebookSizes;
    private volatile Snapshot snapshot;

    private record Snapshot(int[] sids, int itemCount, MutableLongIntMap byKey, SidTrie trie) {
    }

    /**
     * @param sids row-major {@code [items, levels]}: item {@code i}'s ID is {@code sids[i * levels .. + levels)};
     *             every ID must be unique (the tokenizer resolves collisions before building this)
     */
    public SemanticIds(int[] codebookSizes, int[] sids) {
        this.levels = codebookSizes.length;
        this.codebookSizes = codebookSizes.clone();
        if (levels == 0 || sids.length % levels != 0) {
            throw new IllegalArgumentException("semantic IDs: " + sids.length + " tokens do not form IDs of " + levels + " levels");
        }
        long space = 1;
        for (int k : codebookSizes) {
            if (k <= 0) {
                throw new IllegalArgumentException("semantic IDs: codebook sizes must be positive: " + Arrays.toString(codebookSizes));
            }
            space = Math.multiplyExact(space, k);
        }
        int items = sids.length / levels;
        MutableLongIntMap byKey = new LongIntHashMap(items * 2);
        for (int i = 0; i < items; i++) {
            long key = key(sids, i * levels);
            if (byKey.containsKey(key)) {
                throw new IllegalArgumentException("semantic IDs: items " + byKey.get(key) + " and " + i
                        + " share the ID " + Arrays.toString(Arrays.copyOfRange(sids, i * levels, i * levels + levels)));
            }
            byKey.put(key, i);
        }
        int[] all = new int[items];
        for (int i = 0; i < items; i++) {
            all[i] = i;
        }
        this.snapshot = new Snapshot(sids.clone(), items, byKey, SidTrie.build(levels, sids, all));
    }

    public int levels() {
        return levels;
    }

    public int codebookSize(int level) {
        return codebookSizes[level];
    }

    public int[] codebookSizes() {
        return codebookSizes.clone();
    }

    public int itemCount() {
        return snapshot.itemCount;
    }

    /** Token {@code level} of {@code item}'s ID. */
    public int token(int item, int level) {
        Snapshot s = snapshot;
        checkItem(item, s);
        return s.sids[item * levels + level];
    }

    /** {@code item}'s ID (a copy). */
    public int[] sid(int item) {
        Snapshot s = snapshot;
        checkItem(item, s);
        return Arrays.copyOfRange(s.sids, item * levels, item * levels + levels);
    }

    /** The item whose ID is {@code sid}, or -1. */
    public int item(int[] sid) {
        if (sid.length != levels) {
            return -1;
        }
        for (int l = 0; l < levels; l++) {
            if (sid[l] < 0 || sid[l] >= codebookSizes[l]) {
                return -1;
            }
        }
        return snapshot.byKey.getIfAbsent(key(sid, 0), -1);
    }

    /** The trie of all current IDs. */
    public SidTrie trie() {
        return snapshot.trie;
    }

    /**
     * Adds a new item (index {@link #itemCount()}) with the given unique ID and returns its index. The new ID is
     * decodable as soon as this returns.
     */
    public synchronized int add(int[] sid) {
        if (sid.length != levels) {
            throw new IllegalArgumentException("semantic ID of " + sid.length + " tokens for a " + levels + "-level tokenizer");
        }
        for (int l = 0; l < levels; l++) {
            if (sid[l] < 0 || sid[l] >= codebookSizes[l]) {
                throw new IllegalArgumentException("token " + sid[l] + " at level " + l + " is outside the codebook of "
                        + codebookSizes[l]);
            }
        }
        Snapshot s = snapshot;
        long key = key(sid, 0);
        if (s.byKey.containsKey(key)) {
            throw new IllegalArgumentException("semantic ID " + Arrays.toString(sid) + " already belongs to item " + s.byKey.get(key));
        }
        int item = s.itemCount;
        int[] sids = Arrays.copyOf(s.sids, (item + 1) * levels);
        System.arraycopy(sid, 0, sids, item * levels, levels);
        MutableLongIntMap byKey = new LongIntHashMap(s.byKey);
        byKey.put(key, item);
        int[] all = new int[item + 1];
        for (int i = 0; i <= item; i++) {
            all[i] = i;
        }
        snapshot = new Snapshot(sids, item + 1, byKey, SidTrie.build(levels, sids, all));
        return item;
    }

    /** Row-major copy of all IDs. */
    public int[] allSids() {
        Snapshot s = snapshot;
        return Arrays.copyOf(s.sids, s.itemCount * levels);
    }

    private long key(int[] sid, int offset) {
        long k = 0;
        for (int l = 0; l < levels; l++) {
            k = k * codebookSizes[l] + sid[offset + l];
        }
        return k;
    }

    private void checkItem(int item, Snapshot s) {
        if (item < 0 || item >= s.itemCount) {
            throw new IndexOutOfBoundsException("item " + item + " has no semantic ID (" + s.itemCount + " items)");
        }
    }
}
