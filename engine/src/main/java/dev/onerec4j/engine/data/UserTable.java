package dev.onerec4j.engine.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.eclipse.collections.impl.map.mutable.primitive.ObjectIntHashMap;

/**
 * The users: dense index 0..size-1 &lt;-&gt; external id, and static categorical features by name
 * (e.g. gender, age, occupation, zip prefix). Each feature's values are coded 0..cardinality-1 where code
 * {@link #UNKNOWN} (0) means "missing"; codes 1.. are the observed values in order of first appearance.
 */
public final class UserTable {

    /** The code of a missing feature value. */
    public static final int UNKNOWN = 0;
    /** The name of the {@link #UNKNOWN} code in {@link CategoricalFeature#values()}. */
    public static final String UNKNOWN_VALUE = "<unknown>";

    /** One categorical user feature: per-user codes and the value behind each code. */
    public static final class CategoricalFeature {
        private final String name;
        private final int[] codes;
        private final List<String> values;

        CategoricalFeature(String name, int[] codes, List<String> values) {
            if (values.isEmpty() || !UNKNOWN_VALUE.equals(values.get(UNKNOWN))) {
                throw new IllegalArgumentException("user feature " + name + ": code 0 must be " + UNKNOWN_VALUE);
            }
            this.name = name;
            this.codes = codes;
            this.values = List.copyOf(values);
        }

        public String name() {
            return name;
        }

        /** Number of codes, including {@link #UNKNOWN}: an embedding table for this feature needs this many rows. */
        public int cardinality() {
            return values.size();
        }

        /** The code of {@code user}'s value (0 = unknown). */
        public int code(int user) {
            return codes[user];
        }

        /** The value behind {@code code}. */
        public String value(int code) {
            return values.get(code);
        }

        /** All values, indexed by code. */
        public List<String> values() {
            return values;
        }

        CategoricalFeature select(int[] keep) {
            int[] c = new int[keep.length];
            for (int j = 0; j < keep.length; j++) {
                c[j] = codes[keep[j]];
            }
            return new CategoricalFeature(name, c, values);
        }
    }

    private final String[] externalIds;
    private final ObjectIntHashMap<String> indexById;
    private final Map<String, CategoricalFeature> features;

    UserTable(String[] externalIds, List<CategoricalFeature> features) {
        this.externalIds = externalIds;
        this.indexById = new ObjectIntHashMap<>(externalIds.length * 2);
        for (int u = 0; u < externalIds.length; u++) {
            if (indexById.containsKey(externalIds[u])) {
                throw new IllegalArgumentException("UserTable: duplicate user id '" + externalIds[u] + "'");
            }
            indexById.put(externalIds[u], u);
        }
        Map<String, CategoricalFeature> map = new LinkedHashMap<>();
        for (CategoricalFeature f : features) {
            if (f.codes.length != externalIds.length) {
                throw new IllegalArgumentException("UserTable: feature " + f.name + " has the wrong length");
            }
            map.put(f.name, f);
        }
        this.features = Collections.unmodifiableMap(map);
    }

    /** Number of users. */
    public int size() {
        return externalIds.length;
    }

    /** The id of user {@code user} in the source data. */
    public String externalId(int user) {
        return externalIds[user];
    }

    /** The dense index of the user with external id {@code id}, or -1. */
    public int indexOf(String id) {
        return indexById.getIfAbsent(id, -1);
    }

    /** Names of the categorical features, in a stable order. */
    public Set<String> featureNames() {
        return features.keySet();
    }

    /** All features, in the order of {@link #featureNames()}. */
    public List<CategoricalFeature> features() {
        return new ArrayList<>(features.values());
    }

    /** Feature {@code name}; throws if absent. */
    public CategoricalFeature feature(String name) {
        CategoricalFeature f = features.get(name);
        if (f == null) {
            throw new IllegalArgumentException("no user feature '" + name + "'; the features are " + features.keySet());
        }
        return f;
    }

    /** A table with the users {@code keep} (old indices) in that order. */
    public UserTable select(int[] keep) {
        String[] ids = new String[keep.length];
        for (int j = 0; j < keep.length; j++) {
            ids[j] = externalIds[keep[j]];
        }
        List<CategoricalFeature> fs = new ArrayList<>();
        for (CategoricalFeature f : features.values()) {
            fs.add(f.select(keep));
        }
        return new UserTable(ids, fs);
    }
}
