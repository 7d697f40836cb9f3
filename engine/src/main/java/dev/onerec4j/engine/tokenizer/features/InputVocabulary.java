package dev.onerec4j.engine.tokenizer.features;

import dev.onerec4j.engine.data.ItemCatalog;
import dev.onerec4j.engine.data.WordTokenizer;
import dev.onerec4j.engine.tokenizer.ItemFeatures;
import org.eclipse.collections.impl.list.mutable.primitive.IntArrayList;
import org.eclipse.collections.impl.map.mutable.primitive.ObjectIntHashMap;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The item encoder's input tokens: the catalogue's content tokens ({@code field:value}), bucketed numeric
 * features ({@code num.<name>:q<b>}) and, by the {@link IdTokens} policy, identity tokens ({@code id:<item>}).
 * Maps an item — from the catalogue or a new item's {@link ItemFeatures} — to its token ids, at most
 * {@code maxTokens} of them (content first, in the catalogue's order). Immutable.
 */
public final class InputVocabulary {

    public static final String ID_FIELD = "id";

    private final List<String> tokens;
    private final ObjectIntHashMap<String> ids;
    private final List<NumericBuckets> numeric;
    private final int maxTokens;

    public InputVocabulary(List<String> tokens, List<NumericBuckets> numeric, int maxTokens) {
        if (maxTokens < 1) {
            throw new IllegalArgumentException("maxTokens must be >= 1, got " + maxTokens);
        }
        this.tokens = List.copyOf(tokens);
        this.ids = new ObjectIntHashMap<>(tokens.size() * 2);
        for (int i = 0; i < tokens.size(); i++) {
            if (ids.containsKey(tokens.get(i))) {
                throw new IllegalArgumentException("input vocabulary: token '" + tokens.get(i) + "' is listed twice");
            }
            ids.put(tokens.get(i), i);
        }
        this.numeric = List.copyOf(numeric);
        this.maxTokens = maxTokens;
    }

    /** The vocabulary of a catalogue and the per-item token lists it implies. */
    public record Built(InputVocabulary vocabulary, int[][] itemTokens) {
    }

    /**
     * Builds the vocabulary of {@code catalog}: its content tokens, {@code numericBuckets} quantile buckets per
     * numeric feature (0 = ignore numeric features), identity tokens by {@code idTokens}.
     */
    public static Built build(ItemCatalog catalog, IdTokens idTokens, int numericBuckets, int maxTokens) {
        List<String> tokens = new ArrayList<>(catalog.vocabulary().tokens());
        List<NumericBuckets> numeric = new ArrayList<>();
        if (numericBuckets > 1) {
            for (String name : catalog.numericNames()) {
                float[] values = new float[catalog.size()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = catalog.numeric(name, i);
                }
                NumericBuckets b = NumericBuckets.fit(name, values, numericBuckets);
                numeric.add(b);
                for (int q = 0; q < b.bucketCount(); q++) {
                    tokens.add("num." + name + ":q" + q);
                }
            }
        }
        // Content and numeric tokens first; identity tokens depend on them (not-unique policy).
        InputVocabulary base = new InputVocabulary(tokens, numeric, maxTokens);
        int[][] itemTokens = new int[catalog.size()][];
        IntArrayList list = new IntArrayList();
        for (int i = 0; i < catalog.size(); i++) {
            list.clear();
            for (int j = 0; j < catalog.tokenCount(i); j++) {
                list.add(catalog.token(i, j)); // catalogue token ids are the first ids of this vocabulary
            }
            for (NumericBuckets b : numeric) {
                base.addIfKnown(list, b.token(catalog.numeric(b.name(), i)));
            }
            itemTokens[i] = base.truncate(list);
        }
        boolean[] withId = needsIdToken(itemTokens, idTokens);
        for (int i = 0; i < catalog.size(); i++) {
            if (withId[i]) {
                int id = tokens.size();
                tokens.add(ID_FIELD + ":" + catalog.externalId(i));
                int[] t = itemTokens[i].length < maxTokens ? Arrays.copyOf(itemTokens[i], itemTokens[i].length + 1)
                        : itemTokens[i].clone();
                t[t.length - 1] = id;
                itemTokens[i] = t;
            }
        }
        return new Built(new InputVocabulary(tokens, numeric, maxTokens), itemTokens);
    }

    private static boolean[] needsIdToken(int[][] itemTokens, IdTokens policy) {
        int n = itemTokens.length;
        boolean[] out = new boolean[n];
        if (policy == IdTokens.NOT_UNIQUE) {
            Map<String, Integer> firstWith = new HashMap<>();
            for (int i = 0; i < n; i++) {
                int[] sorted = itemTokens[i].clone();
                Arrays.sort(sorted);
                Integer other = firstWith.putIfAbsent(Arrays.toString(sorted), i);
                if (other != null) {
                    out[i] = true;
                    out[other] = true;
                }
            }
        }
        for (int i = 0; i < n; i++) {
            out[i] |= policy == IdTokens.ALL || (policy != IdTokens.NONE && itemTokens[i].length == 0);
        }
        return out;
    }

    /** The token ids of a new item's features; tokens this vocabulary does not know are left out. */
    public int[] encode(ItemFeatures f) {
        IntArrayList list = new IntArrayList();
        for (Map.Entry<String, String> e : f.texts().entrySet()) {
            for (String word : WordTokenizer.words(e.getValue())) {
                addIfKnown(list, e.getKey() + ":" + word);
            }
        }
        for (Map.Entry<String, List<String>> e : f.values().entrySet()) {
            for (String v : e.getValue()) {
                addIfKnown(list, e.getKey() + ":" + WordTokenizer.normalizeValue(v));
            }
        }
        for (NumericBuckets b : numeric) {
            Float v = f.numeric().get(b.name());
            if (v != null) {
                addIfKnown(list, b.token(v));
            }
        }
        int[] content = truncate(list);
        int id = id(ID_FIELD + ":" + f.id());
        if (id < 0 || Arrays.stream(content).anyMatch(t -> t == id)) {
            return content;
        }
        // The same layout as build(): the identity token last, replacing the last content token when full.
        int[] t = content.length < maxTokens ? Arrays.copyOf(content, content.length + 1) : content;
        t[t.length - 1] = id;
        return t;
    }

    private void addIfKnown(IntArrayList list, String token) {
        if (token == null) {
            return;
        }
        int id = ids.getIfAbsent(token, -1);
        if (id >= 0 && !list.contains(id)) {
            list.add(id);
        }
    }

    private int[] truncate(IntArrayList list) {
        int[] all = list.toArray();
        return all.length <= maxTokens ? all : Arrays.copyOf(all, maxTokens);
    }

    public int size() {
        return tokens.size();
    }

    public String token(int id) {
        return tokens.get(id);
    }

    /** The id of {@code token}, or -1. */
    public int id(String token) {
        return ids.getIfAbsent(token, -1);
    }

    public List<String> tokens() {
        return tokens;
    }

    public List<NumericBuckets> numeric() {
        return numeric;
    }

    public int maxTokens() {
        return maxTokens;
    }
}
