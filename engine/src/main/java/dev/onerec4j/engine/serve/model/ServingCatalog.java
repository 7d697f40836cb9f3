package dev.onerec4j.engine.serve.model;

import dev.onerec4j.engine.data.DatasetParts;
import dev.onerec4j.engine.data.ItemCatalog;
import dev.onerec4j.engine.data.PositiveRule;
import dev.onerec4j.engine.data.Signal;
import dev.onerec4j.engine.sample.ItemVectors;
import dev.onerec4j.engine.train.RunCatalog;
import org.eclipse.collections.impl.map.mutable.primitive.ObjectIntHashMap;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a served model knows about items and users, as one immutable snapshot: external item ids both ways, titles
 * and durations, the item vectors the lifelong pathway clusters with, the catalogue the context builder reads, and
 * the user side (feature values by code, user ids when the model embeds them). A cold-start item produces a new
 * snapshot ({@link #withItem}); a request reads one snapshot throughout.
 */
public final class ServingCatalog {

    private final String[] ids;
    private final ObjectIntHashMap<String> indexById;
    private final String[] titles;
    private final float[] durations;
    private final ItemCatalog items;
    private final ItemVectors vectors;
    private final EnumSet<Signal> signals;
    private final PositiveRule positiveRule;
    private final List<DatasetParts.UserFeature> userFeatures;
    private final List<ObjectIntHashMap<String>> featureCodes;
    private final ObjectIntHashMap<String> userIndex;

    private ServingCatalog(String[] ids, ObjectIntHashMap<String> indexById, String[] titles, float[] durations,
                           ItemVectors vectors, EnumSet<Signal> signals, PositiveRule positiveRule,
                           List<DatasetParts.UserFeature> userFeatures, List<ObjectIntHashMap<String>> featureCodes,
                           ObjectIntHashMap<String> userIndex) {
        this.ids = ids;
        this.indexById = indexById;
        this.titles = titles;
        this.durations = durations;
        this.vectors = vectors;
        this.signals = signals;
        this.positiveRule = positiveRule;
        this.userFeatures = userFeatures;
        this.featureCodes = featureCodes;
        this.userIndex = userIndex;
        Map<String, float[]> numeric = new LinkedHashMap<>();
        if (durations != null) {
            numeric.put(ItemCatalog.DURATION, durations);
        }
        this.items = DatasetParts.catalog(ids, numeric);
        if (vectors.count() != ids.length) {
            throw new IllegalArgumentException("serving catalogue: " + vectors.count() + " item vectors for "
                    + ids.length + " items");
        }
    }

    /** The catalogue of a run ({@code catalog.json}) with the item vectors of its tokenization. */
    public static ServingCatalog of(RunCatalog run, ItemVectors vectors) {
        String[] ids = run.itemIds().toArray(new String[0]);
        ObjectIntHashMap<String> index = new ObjectIntHashMap<>(ids.length * 2);
        for (int i = 0; i < ids.length; i++) {
            if (index.containsKey(ids[i])) {
                throw new IllegalArgumentException("serving catalogue: item id '" + ids[i] + "' appears twice");
            }
            index.put(ids[i], i);
        }
        List<ObjectIntHashMap<String>> codes = new ArrayList<>();
        for (DatasetParts.UserFeature f : run.userFeatures()) {
            ObjectIntHashMap<String> m = new ObjectIntHashMap<>();
            for (int c = 0; c < f.values().size(); c++) {
                m.put(f.values().get(c), c);
            }
            codes.add(m);
        }
        ObjectIntHashMap<String> users = null;
        if (run.userIds() != null) {
            users = new ObjectIntHashMap<>(run.userIds().size() * 2);
            for (int u = 0; u < run.userIds().size(); u++) {
                users.put(run.userIds().get(u), u);
            }
        }
        return new ServingCatalog(ids, index, run.titles() == null ? null : run.titles().toArray(new String[0]),
                run.durations() == null ? null : run.durations().clone(), vectors, EnumSet.copyOf(run.signals().isEmpty()
                ? EnumSet.noneOf(Signal.class) : run.signals()), run.positiveRule(), List.copyOf(run.userFeatures()),
                codes, users);
    }

    /**
     * This catalogue with one more item (index {@link #itemCount()}): its id, title (may be null), duration (NaN =
     * unknown) and item vector.
     */
    public ServingCatalog withItem(String id, String title, float duration, float[] vector) {
        if (indexById.containsKey(id)) {
            throw new IllegalArgumentException("item '" + id + "' already exists");
        }
        if (vector.length != vectors.dim()) {
            throw new IllegalArgumentException("item vector of " + vector.length + " values, expected " + vectors.dim());
        }
        int n = ids.length;
        String[] newIds = Arrays.copyOf(ids, n + 1);
        newIds[n] = id;
        ObjectIntHashMap<String> index = new ObjectIntHashMap<>(indexById);
        index.put(id, n);
        String[] newTitles = null;
        if (titles != null || (title != null && !title.isEmpty())) {
            newTitles = titles != null ? Arrays.copyOf(titles, n + 1) : new String[n + 1];
            if (titles == null) {
                Arrays.fill(newTitles, "");
            }
            newTitles[n] = title == null ? "" : title;
        }
        float[] newDurations = null;
        if (durations != null) {
            newDurations = Arrays.copyOf(durations, n + 1);
            newDurations[n] = duration;
        }
        int dim = vectors.dim();
        float[] v = new float[(n + 1) * dim];
        for (int i = 0; i < n; i++) {
            for (int d = 0; d < dim; d++) {
                v[i * dim + d] = vectors.get(i, d);
            }
        }
        System.arraycopy(vector, 0, v, n * dim, dim);
        return new ServingCatalog(newIds, index, newTitles, newDurations, new ItemVectors(dim, v), signals, positiveRule,
                userFeatures, featureCodes, userIndex);
    }

    public int itemCount() {
        return ids.length;
    }

    /** The index of item {@code id}, or -1. */
    public int indexOf(String id) {
        return indexById.getIfAbsent(id, -1);
    }

    public String id(int item) {
        return ids[item];
    }

    /** The item's title, or "" when the data has none. */
    public String title(int item) {
        return titles == null ? "" : titles[item];
    }

    public boolean hasDurations() {
        return durations != null;
    }

    /** The catalogue the context builder reads (ids and durations). */
    public ItemCatalog items() {
        return items;
    }

    public ItemVectors vectors() {
        return vectors;
    }

    /** The feedback signals the model was trained with. */
    public EnumSet<Signal> signals() {
        return EnumSet.copyOf(signals.isEmpty() ? EnumSet.noneOf(Signal.class) : signals);
    }

    public boolean records(Signal s) {
        return signals.contains(s);
    }

    public PositiveRule positiveRule() {
        return positiveRule;
    }

    public List<DatasetParts.UserFeature> userFeatures() {
        return userFeatures;
    }

    /** The index of user feature {@code name}, or -1. */
    public int userFeatureIndex(String name) {
        for (int f = 0; f < userFeatures.size(); f++) {
            if (userFeatures.get(f).name().equals(name)) {
                return f;
            }
        }
        return -1;
    }

    /** The code of {@code value} of user feature {@code feature}, or -1 when the value never occurred in training. */
    public int userFeatureCode(int feature, String value) {
        return featureCodes.get(feature).getIfAbsent(value, -1);
    }

    /** Whether the model embeds user ids (then requests name a known user). */
    public boolean embedsUsers() {
        return userIndex != null;
    }

    /** The index of user {@code id}, or -1. */
    public int userIndex(String id) {
        return userIndex == null ? -1 : userIndex.getIfAbsent(id, -1);
    }
}
