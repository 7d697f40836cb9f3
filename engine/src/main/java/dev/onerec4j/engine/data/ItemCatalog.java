package dev.onerec4j.engine.data;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.eclipse.collections.impl.map.mutable.primitive.ObjectIntHashMap;

/**
 * The item catalogue: dense item index 0..size-1 &lt;-&gt; external id, and per item its content tokens
 * (ids in {@link #vocabulary()}), numeric features by name ({@code NaN} = unknown), raw text fields by name
 * (e.g. {@code title}, {@code asin}) and an optional class label (-1 = none). Items without any content are
 * kept (empty token list). Immutable; stored column-wise (token lists in one CSR array pair).
 */
public final class ItemCatalog {

    /** Name of the numeric feature holding an item's duration in seconds, where the data set has one. */
    public static final String DURATION = "duration";
    /** Name of the text field used as an item's display name when present. */
    public static final String TITLE = "title";

    private final String[] externalIds;
    private final ObjectIntHashMap<String> indexById;
    private final int[] tokenOffsets;
    private final int[] tokenIds;
    private final Vocabulary vocabulary;
    private final Map<String, float[]> numeric;
    private final Map<String, String[]> texts;
    private final int[] classLabels;
    private final List<String> classNames;

    ItemCatalog(String[] externalIds, int[] tokenOffsets, int[] tokenIds, Vocabulary vocabulary,
                Map<String, float[]> numeric, Map<String, String[]> texts, int[] classLabels,
                List<String> classNames) {
        int n = externalIds.length;
        if (tokenOffsets.length != n + 1 || classLabels.length != n) {
            throw new IllegalArgumentException("ItemCatalog: column lengths do not match " + n + " items");
        }
        numeric.forEach((k, v) -> require(v.length == n, "numeric feature " + k));
        texts.forEach((k, v) -> require(v.length == n, "text field " + k));
        this.externalIds = externalIds;
        this.indexById = new ObjectIntHashMap<>(n * 2);
        for (int i = 0; i < n; i++) {
            if (indexById.containsKey(externalIds[i])) {
                throw new IllegalArgumentException("ItemCatalog: duplicate item id '" + externalIds[i] + "'");
            }
            indexById.put(externalIds[i], i);
        }
        this.tokenOffsets = tokenOffsets;
        this.tokenIds = tokenIds;
        this.vocabulary = vocabulary;
        this.numeric = Collections.unmodifiableMap(new LinkedHashMap<>(numeric));
        this.texts = Collections.unmodifiableMap(new LinkedHashMap<>(texts));
        this.classLabels = classLabels;
        this.classNames = List.copyOf(classNames);
    }

    private static void require(boolean ok, String what) {
        if (!ok) {
            throw new IllegalArgumentException("ItemCatalog: " + what + " has the wrong length");
        }
    }

    /** Number of items. */
    public int size() {
        return externalIds.length;
    }

    /** The id of item {@code item} in the source data. */
    public String externalId(int item) {
        return externalIds[item];
    }

    /** The dense index of the item with external id {@code id}, or -1 if there is none. */
    public int indexOf(String id) {
        return indexById.getIfAbsent(id, -1);
    }

    /** The token vocabulary shared by all items. */
    public Vocabulary vocabulary() {
        return vocabulary;
    }

    /** Number of content tokens of {@code item}. */
    public int tokenCount(int item) {
        return tokenOffsets[item + 1] - tokenOffsets[item];
    }

    /** The {@code j}-th content token id of {@code item}. */
    public int token(int item, int j) {
        return tokenIds[tokenOffsets[item] + j];
    }

    /** A copy of the content token ids of {@code item} (distinct, in order of first appearance). */
    public int[] tokens(int item) {
        return Arrays.copyOfRange(tokenIds, tokenOffsets[item], tokenOffsets[item + 1]);
    }

    /** Names of the numeric features, in a stable order. */
    public Set<String> numericNames() {
        return numeric.keySet();
    }

    /** Whether numeric feature {@code name} exists. */
    public boolean hasNumeric(String name) {
        return numeric.containsKey(name);
    }

    /** Value of numeric feature {@code name} for {@code item}; {@code NaN} if unknown or the feature is absent. */
    public float numeric(String name, int item) {
        float[] column = numeric.get(name);
        return column == null ? Float.NaN : column[item];
    }

    /** Item duration in seconds, or {@code NaN}. */
    public float duration(int item) {
        return numeric(DURATION, item);
    }

    /** Names of the raw text fields (e.g. {@code title}, {@code asin}). */
    public Set<String> textNames() {
        return texts.keySet();
    }

    /** Raw text field {@code name} of {@code item}; "" if absent. */
    public String text(String name, int item) {
        String[] column = texts.get(name);
        return column == null || column[item] == null ? "" : column[item];
    }

    /** A human-readable name: the title if there is one, otherwise the external id. */
    public String displayName(int item) {
        String title = text(TITLE, item);
        return title.isEmpty() ? externalIds[item] : title;
    }

    /** Number of class labels (0 if the data set has none). */
    public int numClasses() {
        return classNames.size();
    }

    /** Class label of {@code item} in 0..numClasses-1, or -1 if it has none. */
    public int classLabel(int item) {
        return classLabels[item];
    }

    /** Name of class {@code label}. */
    public String className(int label) {
        return classNames.get(label);
    }

    /** The class label called {@code name}, or -1. */
    public int classIndex(String name) {
        return classNames.indexOf(name);
    }

    /** A catalogue with the items {@code keep} (old indices) in that order; new index j = keep[j]. */
    public ItemCatalog select(int[] keep) {
        int n = keep.length;
        String[] ids = new String[n];
        int[] offsets = new int[n + 1];
        for (int j = 0; j < n; j++) {
            ids[j] = externalIds[keep[j]];
            offsets[j + 1] = offsets[j] + tokenCount(keep[j]);
        }
        // Re-intern the tokens so the new vocabulary holds only tokens still in use, with their new counts.
        Vocabulary.Builder vocab = new Vocabulary.Builder();
        int[] toks = new int[offsets[n]];
        int[] labels = new int[n];
        for (int j = 0; j < n; j++) {
            int from = tokenOffsets[keep[j]];
            for (int t = 0; t < tokenCount(keep[j]); t++) {
                int id = vocab.intern(vocabulary.token(tokenIds[from + t]));
                vocab.count(id);
                toks[offsets[j] + t] = id;
            }
            labels[j] = classLabels[keep[j]];
        }
        Map<String, float[]> num = new LinkedHashMap<>();
        numeric.forEach((k, v) -> {
            float[] c = new float[n];
            for (int j = 0; j < n; j++) {
                c[j] = v[keep[j]];
            }
            num.put(k, c);
        });
        Map<String, String[]> txt = new LinkedHashMap<>();
        texts.forEach((k, v) -> {
            String[] c = new String[n];
            for (int j = 0; j < n; j++) {
                c[j] = v[keep[j]];
            }
            txt.put(k, c);
        });
        return new ItemCatalog(ids, offsets, toks, vocab.build(), num, txt, labels, classNames);
    }
}
