package dev.onerec4j.engine.data;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a {@link Dataset} straight from its columns, for code that holds the data in memory rather than reading
 * a source: serving turns a batch of requests (one "user" per request, their histories as sent) into a small data
 * set, so the model's context builder computes exactly the inputs it computed in training. The catalogue is built
 * once and shared by all those small data sets.
 */
public final class DatasetParts {

    private DatasetParts() {
    }

    /**
     * A catalogue of items known only by id, with numeric features by name (e.g. {@link ItemCatalog#DURATION}; each
     * column one value per item, NaN = unknown); no content tokens, texts or classes.
     */
    public static ItemCatalog catalog(String[] ids, Map<String, float[]> numeric) {
        int n = ids.length;
        int[] noClass = new int[n];
        java.util.Arrays.fill(noClass, -1);
        return new ItemCatalog(ids.clone(), new int[n + 1], new int[0], new Vocabulary.Builder().build(),
                new LinkedHashMap<>(numeric), new LinkedHashMap<>(), noClass, List.of());
    }

    /** One categorical user feature: its name, its values by code (code 0 is {@link UserTable#UNKNOWN_VALUE}). */
    public record UserFeature(String name, List<String> values) {
    }

    /**
     * Users {@code ids} with categorical features: {@code codes[f][u]} is user {@code u}'s code of feature
     * {@code features.get(f)}.
     */
    public static UserTable users(String[] ids, List<UserFeature> features, int[][] codes) {
        if (codes.length != features.size()) {
            throw new IllegalArgumentException("users: " + codes.length + " code columns for " + features.size()
                    + " features");
        }
        List<UserTable.CategoricalFeature> columns = new ArrayList<>();
        for (int f = 0; f < codes.length; f++) {
            UserFeature feature = features.get(f);
            for (int code : codes[f]) {
                if (code < 0 || code >= feature.values().size()) {
                    throw new IllegalArgumentException("users: code " + code + " of feature " + feature.name()
                            + " is outside its " + feature.values().size() + " values");
                }
            }
            columns.add(new UserTable.CategoricalFeature(feature.name(), codes[f], feature.values()));
        }
        return new UserTable(ids.clone(), columns);
    }

    /**
     * A data set of chronological histories: user {@code u}'s interactions are rows {@code offsets[u] ..
     * offsets[u + 1] - 1} of {@code items}, {@code timestamps} and each recorded signal's column (NaN = absent;
     * the keys of {@code signals} are the signals the data set records). Positive flags follow {@code rule}.
     */
    public static Dataset dataset(String name, ItemCatalog catalog, UserTable users, PositiveRule rule, int[] offsets,
                                  int[] items, long[] timestamps, EnumMap<Signal, float[]> signals) {
        if (offsets.length != users.size() + 1 || offsets[0] != 0) {
            throw new IllegalArgumentException("dataset " + name + ": " + offsets.length + " offsets for " + users.size()
                    + " users");
        }
        for (int u = 0; u < users.size(); u++) {
            if (offsets[u + 1] < offsets[u]) {
                throw new IllegalArgumentException("dataset " + name + ": offsets decrease at user " + u);
            }
        }
        for (int item : items) {
            if (item < 0 || item >= catalog.size()) {
                throw new IllegalArgumentException("dataset " + name + ": item " + item + " is outside the catalogue of "
                        + catalog.size());
            }
        }
        Histories raw = new Histories(offsets, items, timestamps, new EnumMap<>(signals), new boolean[items.length]);
        return new Dataset(name, catalog, users, raw.withPositive(rule, catalog), rule);
    }

    /** An empty signal map to fill (convenience for callers outside the package). */
    public static EnumMap<Signal, float[]> signalColumns() {
        return new EnumMap<>(Signal.class);
    }
}
