package dev.onerec4j.engine.data;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.collections.impl.list.mutable.primitive.FloatArrayList;
import org.eclipse.collections.impl.list.mutable.primitive.IntArrayList;
import org.eclipse.collections.impl.list.mutable.primitive.LongArrayList;
import org.eclipse.collections.impl.map.mutable.primitive.ObjectIntHashMap;

/**
 * Collects items, users and interactions in any order (the readers and the synthetic world use it) and
 * builds an immutable, column-wise {@link Dataset}. Items and users get dense indices in order of first
 * registration, so a reader controls the index order by registering catalogue rows first.
 */
public final class DatasetBuilder {

    /** How interactions are ordered inside each user's history. */
    public enum Ordering {
        /** Stable sort by timestamp: equal timestamps keep the order in which they were added. */
        SORT_BY_TIME,
        /** Keep the order in which they were added (the source is already chronological). */
        AS_ADDED
    }

    private final String name;

    private final ObjectIntHashMap<String> itemIndex = new ObjectIntHashMap<>();
    private final List<String> itemIds = new ArrayList<>();
    private final List<IntArrayList> itemTokens = new ArrayList<>();
    private final Vocabulary.Builder vocabulary = new Vocabulary.Builder();
    private final Map<String, FloatArrayList> numeric = new LinkedHashMap<>();
    private final Map<String, List<String>> texts = new LinkedHashMap<>();
    private final IntArrayList classLabels = new IntArrayList();
    private final ObjectIntHashMap<String> classIndex = new ObjectIntHashMap<>();
    private final List<String> classNames = new ArrayList<>();

    private final ObjectIntHashMap<String> userIndex = new ObjectIntHashMap<>();
    private final List<String> userIds = new ArrayList<>();
    private final Map<String, UserFeatureColumn> userFeatures = new LinkedHashMap<>();

    private final IntArrayList rowUsers = new IntArrayList();
    private final IntArrayList rowItems = new IntArrayList();
    private final LongArrayList rowTimes = new LongArrayList();
    private final EnumMap<Signal, FloatArrayList> signals = new EnumMap<>(Signal.class);
    private boolean millis;

    public DatasetBuilder(String name) {
        this.name = name;
    }

    // ---------------------------------------------------------------- items

    /** The index of item {@code externalId}, registering it (with no content) if new. */
    public int item(String externalId) {
        int index = itemIndex.getIfAbsent(externalId, -1);
        if (index < 0) {
            index = itemIds.size();
            itemIndex.put(externalId, index);
            itemIds.add(externalId);
            itemTokens.add(null);
            classLabels.add(-1);
        }
        return index;
    }

    /** The index of item {@code externalId}, or -1 if it was not registered. */
    public int existingItem(String externalId) {
        return itemIndex.getIfAbsent(externalId, -1);
    }

    public int numItems() {
        return itemIds.size();
    }

    /** Adds token {@code field:value} (value normalised by {@link WordTokenizer#normalizeValue}) to {@code item}. */
    public void addToken(int item, String field, String value) {
        String normalized = WordTokenizer.normalizeValue(value);
        if (!normalized.isEmpty()) {
            addRawToken(item, field + ":" + normalized);
        }
    }

    /** Adds an already formed {@code field:value} token; duplicates on the same item are ignored. */
    public void addRawToken(int item, String token) {
        if (token.indexOf(':') <= 0) {
            throw new IllegalArgumentException("content token '" + token + "' has no field prefix (field:value)");
        }
        int id = vocabulary.intern(token);
        IntArrayList list = itemTokens.get(item);
        if (list == null) {
            list = new IntArrayList(8);
            itemTokens.set(item, list);
        }
        if (!list.contains(id)) {
            list.add(id);
            vocabulary.count(id);
        }
    }

    /** Keeps {@code text} as raw text field {@code field} of {@code item} and adds its words as {@code field:word}. */
    public void addText(int item, String field, String text) {
        setText(item, field, text);
        for (String word : WordTokenizer.words(text)) {
            addRawToken(item, field + ":" + word);
        }
    }

    /** Keeps {@code text} as raw text field {@code field} of {@code item} without making tokens of it. */
    public void setText(int item, String field, String text) {
        List<String> column = texts.computeIfAbsent(field, k -> new ArrayList<>());
        while (column.size() <= item) {
            column.add(null);
        }
        column.set(item, text);
    }

    /** Sets numeric feature {@code feature} of {@code item}. */
    public void setNumeric(int item, String feature, float value) {
        FloatArrayList column = numeric.computeIfAbsent(feature, k -> new FloatArrayList());
        while (column.size() <= item) {
            column.add(Float.NaN);
        }
        column.set(item, value);
    }

    /** Declares numeric feature {@code feature} so that it exists even if no item has a value. */
    public void declareNumeric(String feature) {
        numeric.computeIfAbsent(feature, k -> new FloatArrayList());
    }

    /** The value of numeric feature {@code feature} of {@code item} set so far, or NaN. */
    public float numeric(int item, String feature) {
        FloatArrayList column = numeric.get(feature);
        return column == null || column.size() <= item ? Float.NaN : column.get(item);
    }

    /** Sets the class label of {@code item}. */
    public void setClass(int item, String label) {
        classLabels.set(item, declareClass(label));
    }

    /** Registers class {@code label} (classes are numbered in order of registration) and returns its index. */
    public int declareClass(String label) {
        int c = classIndex.getIfAbsent(label, -1);
        if (c < 0) {
            c = classNames.size();
            classNames.add(label);
            classIndex.put(label, c);
        }
        return c;
    }

    // ---------------------------------------------------------------- users

    /** The index of user {@code externalId}, registering it if new. */
    public int user(String externalId) {
        int index = userIndex.getIfAbsent(externalId, -1);
        if (index < 0) {
            index = userIds.size();
            userIndex.put(externalId, index);
            userIds.add(externalId);
        }
        return index;
    }

    /** The index of user {@code externalId}, or -1. */
    public int existingUser(String externalId) {
        return userIndex.getIfAbsent(externalId, -1);
    }

    public int numUsers() {
        return userIds.size();
    }

    /** Declares categorical user feature {@code feature} so that it exists even if no user has a value. */
    public void declareUserFeature(String feature) {
        userFeatures.computeIfAbsent(feature, UserFeatureColumn::new);
    }

    /** Sets categorical feature {@code feature} of {@code user}; an empty value means unknown. */
    public void setUserFeature(int user, String feature, String value) {
        userFeatures.computeIfAbsent(feature, UserFeatureColumn::new).set(user, value.strip());
    }

    // ---------------------------------------------------------------- interactions

    /** Adds an interaction and returns its row (for {@link #setSignal}). */
    public int addInteraction(int user, int item, long timestamp) {
        if (user < 0 || user >= userIds.size() || item < 0 || item >= itemIds.size()) {
            throw new IllegalArgumentException("addInteraction: user " + user + " / item " + item
                    + " not registered (" + userIds.size() + " users, " + itemIds.size() + " items)");
        }
        rowUsers.add(user);
        rowItems.add(item);
        rowTimes.add(timestamp);
        return rowItems.size() - 1;
    }

    /** Records signal {@code signal} of interaction {@code row}. */
    public void setSignal(int row, Signal signal, float value) {
        FloatArrayList column = signals.computeIfAbsent(signal, k -> new FloatArrayList());
        while (column.size() <= row) {
            column.add(Float.NaN);
        }
        column.set(row, value);
    }

    /** Declares that {@code signal} is recorded even if no value has been set yet. */
    public void declareSignal(Signal signal) {
        signals.computeIfAbsent(signal, k -> new FloatArrayList());
    }

    public int numInteractions() {
        return rowItems.size();
    }

    /**
     * Declares that the timestamps given to {@link #addInteraction} are unix milliseconds: histories are sorted
     * by the milliseconds, then stored as unix seconds (rounded down).
     */
    public void timestampsInMillis() {
        millis = true;
    }

    // ---------------------------------------------------------------- build

    public Dataset build(PositiveRule rule, Ordering ordering) {
        ItemCatalog catalog = buildCatalog();
        UserTable users = buildUsers();
        Histories histories = buildHistories(ordering);
        histories = histories.withPositive(rule, catalog);
        return new Dataset(name, catalog, users, histories, rule);
    }

    private ItemCatalog buildCatalog() {
        int n = itemIds.size();
        int[] offsets = new int[n + 1];
        for (int i = 0; i < n; i++) {
            IntArrayList t = itemTokens.get(i);
            offsets[i + 1] = offsets[i] + (t == null ? 0 : t.size());
        }
        int[] tokens = new int[offsets[n]];
        for (int i = 0; i < n; i++) {
            IntArrayList t = itemTokens.get(i);
            if (t != null) {
                for (int j = 0; j < t.size(); j++) {
                    tokens[offsets[i] + j] = t.get(j);
                }
            }
        }
        Map<String, float[]> num = new LinkedHashMap<>();
        numeric.forEach((k, v) -> {
            float[] c = new float[n];
            java.util.Arrays.fill(c, Float.NaN);
            for (int i = 0; i < v.size(); i++) {
                c[i] = v.get(i);
            }
            num.put(k, c);
        });
        Map<String, String[]> txt = new LinkedHashMap<>();
        texts.forEach((k, v) -> {
            String[] c = new String[n];
            for (int i = 0; i < v.size(); i++) {
                c[i] = v.get(i);
            }
            txt.put(k, c);
        });
        return new ItemCatalog(itemIds.toArray(new String[0]), offsets, tokens, vocabulary.build(), num, txt,
                classLabels.toArray(), classNames);
    }

    private UserTable buildUsers() {
        List<UserTable.CategoricalFeature> features = new ArrayList<>();
        for (UserFeatureColumn c : userFeatures.values()) {
            features.add(c.build(userIds.size()));
        }
        return new UserTable(userIds.toArray(new String[0]), features);
    }

    private Histories buildHistories(Ordering ordering) {
        int numUsers = userIds.size();
        int rows = rowItems.size();
        int[] offsets = new int[numUsers + 1];
        for (int r = 0; r < rows; r++) {
            offsets[rowUsers.get(r) + 1]++;
        }
        for (int u = 0; u < numUsers; u++) {
            offsets[u + 1] += offsets[u];
        }
        // Counting sort by user keeps the insertion order inside each user.
        int[] order = new int[rows];
        int[] cursor = java.util.Arrays.copyOf(offsets, numUsers);
        for (int r = 0; r < rows; r++) {
            order[cursor[rowUsers.get(r)]++] = r;
        }
        long[] times = rowTimes.toArray();
        if (ordering == Ordering.SORT_BY_TIME) {
            int[] tmp = new int[rows];
            for (int u = 0; u < numUsers; u++) {
                StableSort.byKey(order, offsets[u], offsets[u + 1], times, tmp);
            }
        }
        int[] items = new int[rows];
        long[] sortedTimes = new long[rows];
        for (int k = 0; k < rows; k++) {
            items[k] = rowItems.get(order[k]);
            sortedTimes[k] = millis ? Math.floorDiv(times[order[k]], 1000L) : times[order[k]];
        }
        EnumMap<Signal, float[]> sortedSignals = new EnumMap<>(Signal.class);
        signals.forEach((s, column) -> {
            float[] c = new float[rows];
            for (int k = 0; k < rows; k++) {
                c[k] = order[k] < column.size() ? column.get(order[k]) : Float.NaN;
            }
            sortedSignals.put(s, c);
        });
        return new Histories(offsets, items, sortedTimes, sortedSignals, new boolean[rows]);
    }

    /** Codes of one categorical user feature while users are still being added. */
    private static final class UserFeatureColumn {
        final String name;
        final ObjectIntHashMap<String> codes = new ObjectIntHashMap<>();
        final List<String> values = new ArrayList<>(List.of(UserTable.UNKNOWN_VALUE));
        final IntArrayList perUser = new IntArrayList();

        UserFeatureColumn(String name) {
            this.name = name;
        }

        void set(int user, String value) {
            int code = UserTable.UNKNOWN;
            if (!value.isEmpty()) {
                code = codes.getIfAbsent(value, -1);
                if (code < 0) {
                    code = values.size();
                    values.add(value);
                    codes.put(value, code);
                }
            }
            while (perUser.size() <= user) {
                perUser.add(UserTable.UNKNOWN);
            }
            perUser.set(user, code);
        }

        UserTable.CategoricalFeature build(int numUsers) {
            int[] c = new int[numUsers];
            for (int u = 0; u < perUser.size(); u++) {
                c[u] = perUser.get(u);
            }
            return new UserTable.CategoricalFeature(name, c, values);
        }
    }
}
