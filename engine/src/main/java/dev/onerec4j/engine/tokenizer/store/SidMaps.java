package dev.onerec4j.engine.tokenizer.store;

import dev.onerec4j.engine.tokenizer.SidPacking;
import dev.onerec4j.engine.tokenizer.SidTrie;
import net.openhft.chronicle.map.ChronicleMap;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The persisted, memory-mapped maps of a tokenizer folder (Chronicle Map):
 * <ul>
 *   <li>{@code item-index.cmap}: dense item index → external item id (the order {@link dev.onerec4j.engine.tokenizer.SemanticIds}
 *       uses; a cold-start item gets the next index);</li>
 *   <li>{@code item-to-sid.cmap}: external item id → packed semantic ID ({@link SidPacking#key});</li>
 *   <li>{@code sid-to-item.cmap}: packed semantic ID → external item id;</li>
 *   <li>{@code trie.cmap}: packed prefix ({@link SidPacking#prefixKey}, the empty prefix = 0) → the tokens that may
 *       follow it, sorted, as little-endian int32s — the trie of valid prefixes for constrained decoding;</li>
 *   <li>{@code added-embeddings.cmap}: external id → item embedding (little-endian float32s) of items added
 *       after tokenization (the others are in {@code item-embeddings.safetensors}).</li>
 * </ul>
 * A cold-start addition writes the embedding, both ID maps, then the index entry (which commits the item), then
 * the trie entries; {@link #load} reads only committed items and {@link #repairTrie} restores trie entries an
 * interrupted addition did not write. Maps are sized for growth (twice the catalogue, then up to
 * {@value #BLOAT}x more). Not safe for two processes adding items at once.
 */
public final class SidMaps implements AutoCloseable {

    public static final String ITEM_INDEX = "item-index.cmap";
    public static final String ITEM_TO_SID = "item-to-sid.cmap";
    public static final String SID_TO_ITEM = "sid-to-item.cmap";
    public static final String TRIE = "trie.cmap";
    public static final String ADDED_EMBEDDINGS = "added-embeddings.cmap";
    private static final double BLOAT = 8.0;

    private final SidPacking packing;
    private final ChronicleMap<Integer, CharSequence> index;
    private final ChronicleMap<CharSequence, Long> toSid;
    private final ChronicleMap<Long, CharSequence> toItem;
    private final ChronicleMap<Long, byte[]> trie;
    private final ChronicleMap<CharSequence, byte[]> added;

    private SidMaps(SidPacking packing, Path dir, long capacity, double averageIdLength, double averageChildren, int dim) {
        ChronicleMaps.init();
        this.packing = packing;
        double idBytes = Math.max(4, averageIdLength + 1);
        this.index = ChronicleMaps.persisted(ChronicleMap.of(Integer.class, CharSequence.class).name("item-index")
                .entries(capacity).averageValueSize(idBytes).maxBloatFactor(BLOAT), dir.resolve(ITEM_INDEX));
        this.toSid = ChronicleMaps.persisted(ChronicleMap.of(CharSequence.class, Long.class).name("item-to-sid")
                .entries(capacity).averageKeySize(idBytes).maxBloatFactor(BLOAT), dir.resolve(ITEM_TO_SID));
        this.toItem = ChronicleMaps.persisted(ChronicleMap.of(Long.class, CharSequence.class).name("sid-to-item")
                .entries(capacity).averageValueSize(idBytes).maxBloatFactor(BLOAT), dir.resolve(SID_TO_ITEM));
        this.trie = ChronicleMaps.persisted(ChronicleMap.of(Long.class, byte[].class).name("trie")
                .entries(capacity).averageValueSize(4 * Math.max(1, averageChildren)).maxBloatFactor(BLOAT),
                dir.resolve(TRIE));
        this.added = ChronicleMaps.persisted(ChronicleMap.of(CharSequence.class, byte[].class).name("added-embeddings")
                .entries(Math.max(1024, capacity / 8)).averageKeySize(idBytes).averageValueSize(4.0 * dim)
                .maxBloatFactor(BLOAT), dir.resolve(ADDED_EMBEDDINGS));
    }

    /**
     * Writes the maps of a new folder: item {@code i} has external id {@code ids[i]} and ID
     * {@code sids[i * levels ..]}; {@code trie} is their trie.
     */
    public static SidMaps create(Path dir, SidPacking packing, String[] ids, int[] sids, SidTrie trie, int embeddingDim) {
        int n = ids.length;
        int levels = packing.levels();
        double idLength = 0;
        for (String id : ids) {
            idLength += id.length();
        }
        idLength = n == 0 ? 8 : idLength / n;
        int inner = 0;
        for (int node = 0; node < trie.nodeCount(); node++) {
            inner += trie.depth(node) < levels ? 1 : 0;
        }
        double children = inner == 0 ? 1 : (double) (trie.nodeCount() - 1) / inner;
        long capacity = Math.max(1024, 2L * n);
        SidMaps maps = new SidMaps(packing, dir, capacity, idLength, children, embeddingDim);
        for (int i = 0; i < n; i++) {
            long key = packing.key(sids, i * levels);
            maps.toSid.put(ids[i], key);
            maps.toItem.put(key, ids[i]);
            maps.index.put(i, ids[i]);
        }
        maps.writeTrie(trie, 0, new int[levels]);
        return maps;
    }

    /** Opens the maps of an existing folder (read-write, for cold-start additions). */
    public static SidMaps open(Path dir, SidPacking packing, int embeddingDim) {
        for (String name : List.of(ITEM_INDEX, ITEM_TO_SID, SID_TO_ITEM, TRIE, ADDED_EMBEDDINGS)) {
            if (!java.nio.file.Files.isRegularFile(dir.resolve(name))) {
                throw new IllegalArgumentException(dir + ": missing " + name + " (not a complete tokenizer folder)");
            }
        }
        return new SidMaps(packing, dir, 1024, 8, 1, embeddingDim);
    }

    private void writeTrie(SidTrie t, int node, int[] prefix) {
        int depth = t.depth(node);
        if (depth == packing.levels()) {
            return;
        }
        int from = t.childrenStart(node);
        int to = t.childrenEnd(node);
        int[] next = new int[to - from];
        for (int p = from; p < to; p++) {
            next[p - from] = t.tokenAt(p);
        }
        trie.put(packing.prefixKey(prefix, 0, depth), encodeInts(next));
        for (int p = from; p < to; p++) {
            prefix[depth] = t.tokenAt(p);
            writeTrie(t, t.childAt(p), prefix);
        }
    }

    /** The committed items: external ids in index order and their IDs ({@code [n, levels]}). */
    public record Items(String[] ids, int[] sids, float[][] addedEmbeddings) {
    }

    /**
     * Reads the committed items ({@code item-index} entries 0, 1, ... without gaps) and the embeddings of those at
     * index {@code >= baseItems} (cold-start additions).
     */
    public Items load(int baseItems, int embeddingDim) {
        int n = index.size();
        int levels = packing.levels();
        String[] ids = new String[n];
        int[] sids = new int[n * levels];
        float[][] extra = new float[Math.max(0, n - baseItems)][];
        for (int i = 0; i < n; i++) {
            CharSequence id = index.get(i);
            if (id == null) {
                throw new IllegalStateException("tokenizer maps: item index " + i + " is missing (" + n + " items)");
            }
            ids[i] = id.toString();
            Long key = toSid.get(ids[i]);
            if (key == null) {
                throw new IllegalStateException("tokenizer maps: item '" + ids[i] + "' has no semantic ID");
            }
            System.arraycopy(packing.sid(key), 0, sids, i * levels, levels);
            if (i >= baseItems) {
                byte[] e = added.get(ids[i]);
                if (e == null || e.length != 4 * embeddingDim) {
                    throw new IllegalStateException("tokenizer maps: added item '" + ids[i] + "' has no embedding");
                }
                extra[i - baseItems] = decodeFloats(e);
            }
        }
        return new Items(ids, sids, extra);
    }

    /** Adds a cold-start item (see the class comment for the order of writes). */
    public void add(int item, String id, int[] sid, float[] embedding) {
        long key = packing.key(sid, 0);
        added.put(id, encodeFloats(embedding));
        toSid.put(id, key);
        toItem.put(key, id);
        index.put(item, id);
        addToTrie(sid);
    }

    /** Adds any missing prefix of {@code sid} to the persisted trie; returns whether it changed anything. */
    public boolean addToTrie(int[] sid) {
        boolean changed = false;
        for (int depth = 0; depth < packing.levels(); depth++) {
            long key = packing.prefixKey(sid, 0, depth);
            int[] next = nextTokens(key);
            int pos = Arrays.binarySearch(next, sid[depth]);
            if (pos < 0) {
                int at = -pos - 1;
                int[] grown = new int[next.length + 1];
                System.arraycopy(next, 0, grown, 0, at);
                grown[at] = sid[depth];
                System.arraycopy(next, at, grown, at + 1, next.length - at);
                trie.put(key, encodeInts(grown));
                changed = true;
            }
        }
        return changed;
    }

    /** Restores the trie entries of every committed ID; returns how many IDs needed it. */
    public int repairTrie(int[] sids, int n) {
        int repaired = 0;
        int[] sid = new int[packing.levels()];
        for (int i = 0; i < n; i++) {
            System.arraycopy(sids, i * sid.length, sid, 0, sid.length);
            repaired += addToTrie(sid) ? 1 : 0;
        }
        return repaired;
    }

    /** The tokens that may follow the prefix with packed key {@code prefixKey}, sorted (empty if none). */
    public int[] nextTokens(long prefixKey) {
        byte[] v = trie.get(prefixKey);
        return v == null ? new int[0] : decodeInts(v);
    }

    /** The tokens that may follow {@code prefix[0, depth)}. */
    public int[] nextTokens(int[] prefix, int depth) {
        return nextTokens(packing.prefixKey(prefix, 0, depth));
    }

    /** The external id of the item with ID {@code sid}, or null. */
    public String itemOf(int[] sid) {
        CharSequence id = toItem.get(packing.key(sid, 0));
        return id == null ? null : id.toString();
    }

    /** The ID of external item {@code id}, or null. */
    public int[] sidOf(String id) {
        Long key = toSid.get(id);
        return key == null ? null : packing.sid(key);
    }

    /** Number of prefixes in the persisted trie. */
    public int triePrefixes() {
        return trie.size();
    }

    @Override
    public void close() {
        for (ChronicleMap<?, ?> m : List.of(index, toSid, toItem, trie, added)) {
            m.close();
        }
    }

    static byte[] encodeInts(int[] values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : values) {
            b.putInt(v);
        }
        return b.array();
    }

    static int[] decodeInts(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int[] out = new int[bytes.length / 4];
        for (int i = 0; i < out.length; i++) {
            out[i] = b.getInt();
        }
        return out;
    }

    static byte[] encodeFloats(float[] values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }

    static float[] decodeFloats(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[bytes.length / 4];
        for (int i = 0; i < out.length; i++) {
            out[i] = b.getFloat();
        }
        return out;
    }
}
