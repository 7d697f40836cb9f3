package dev.onerec4j.engine.serve.model;

import dev.onerec4j.engine.data.Signal;
import dev.onerec4j.engine.data.UserTable;
import dev.onerec4j.engine.serve.HistoryEntry;
import dev.onerec4j.engine.serve.InvalidRequestException;
import dev.onerec4j.engine.serve.RecommendRequest;
import dev.onerec4j.engine.serve.RecommenderOptions;
import dev.onerec4j.engine.serve.beam.ItemFilter;
import org.eclipse.collections.impl.list.mutable.primitive.IntArrayList;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

/**
 * Checks a {@link RecommendRequest} against a served model and its limits and turns it into a
 * {@link ResolvedRequest}. Every problem is an {@link InvalidRequestException} naming the field; unknown history
 * items and unknown feature values are not errors (they are ignored and reported back), unless nothing of the
 * history is known.
 */
public final class RequestResolver {

    private final RecommenderOptions limits;
    private final int defaultBeam;

    public RequestResolver(RecommenderOptions limits, int defaultBeam) {
        this.limits = limits;
        this.defaultBeam = defaultBeam;
    }

    /**
     * @param catalog the catalogue snapshot the request is answered with
     * @param decodable items with an index below this have a semantic ID in the model (a cold-start item becomes
     *                  decodable just after it enters the catalogue)
     */
    public ResolvedRequest resolve(RecommendRequest request, ServingCatalog catalog, int decodable) {
        int k = request.k();
        if (k < 1 || k > limits.maxK()) {
            throw new InvalidRequestException("k", "must be between 1 and " + limits.maxK() + ", got " + k);
        }
        int beam = request.beamWidth() == 0 ? Math.min(limits.maxBeamWidth(), Math.max(k, defaultBeam))
                : request.beamWidth();
        if (beam < 1 || beam > limits.maxBeamWidth()) {
            throw new InvalidRequestException("beamWidth", "must be between 1 and " + limits.maxBeamWidth() + ", got "
                    + beam);
        }
        if (beam < k) {
            throw new InvalidRequestException("beamWidth", "must be at least k (" + k + "), got " + beam);
        }
        int user = resolveUser(request.user(), catalog);
        List<String> unknownValues = new ArrayList<>();
        int[] codes = resolveFeatures(request.userFeatures(), catalog, unknownValues);
        List<HistoryEntry> history = request.history();
        if (history.isEmpty()) {
            throw new InvalidRequestException("history", "must list at least one item the user interacted with");
        }
        if (history.size() > limits.maxHistory()) {
            throw new InvalidRequestException("history", "at most " + limits.maxHistory() + " items, got "
                    + history.size());
        }
        boolean timed = history.get(0) != null && history.get(0).timestamp() != null;
        EnumSet<Signal> recorded = catalog.signals();
        Signal[] signalOrder = recorded.toArray(new Signal[0]);
        int n = history.size();
        IntArrayList items = new IntArrayList(n);
        long[] times = new long[n];
        float[][] values = new float[signalOrder.length][n];
        List<String> unknown = new ArrayList<>();
        int kept = 0;
        for (int i = 0; i < n; i++) {
            HistoryEntry e = history.get(i);
            String field = "history[" + i + "]";
            if (e == null) {
                throw new InvalidRequestException(field, "must be an item id or an object with an item");
            }
            if (e.item() == null || e.item().isEmpty()) {
                throw new InvalidRequestException(field + ".item", "must be a non-empty item id");
            }
            if ((e.timestamp() != null) != timed) {
                throw new InvalidRequestException(field + ".timestamp", timed
                        ? "is missing while other entries have one (give all or none)"
                        : "is given while other entries have none (give all or none)");
            }
            float[] row = feedback(e.feedback(), field, catalog, signalOrder);
            int index = catalog.indexOf(e.item());
            if (index < 0 || index >= decodable) {
                unknown.add(e.item());
                continue;
            }
            items.add(index);
            times[kept] = timed ? e.timestamp() : kept;
            for (int s = 0; s < signalOrder.length; s++) {
                values[s][kept] = row[s];
            }
            kept++;
        }
        if (kept == 0) {
            throw new InvalidRequestException("history", "none of its " + n + " items is known to the model");
        }
        int[] order = timed ? byTime(times, kept) : null;
        int[] itemArray = permute(items.toArray(), order);
        long[] timeArray = new long[kept];
        for (int i = 0; i < kept; i++) {
            timeArray[i] = order == null ? times[i] : times[order[i]];
        }
        float[][] signalArrays = new float[signalOrder.length][];
        for (int s = 0; s < signalOrder.length; s++) {
            float[] v = new float[kept];
            for (int i = 0; i < kept; i++) {
                v[i] = values[s][order == null ? i : order[i]];
            }
            signalArrays[s] = v;
        }
        ItemFilter exclude = exclusions(request, catalog, itemArray);
        return new ResolvedRequest(user, codes, itemArray, timeArray, signalArrays, exclude, k, beam, unknown,
                unknownValues);
    }

    private int resolveUser(String id, ServingCatalog catalog) {
        if (!catalog.embedsUsers()) {
            return -1;
        }
        if (id == null || id.isEmpty()) {
            throw new InvalidRequestException("user", "is required: this model embeds user ids");
        }
        int u = catalog.userIndex(id);
        if (u < 0) {
            throw new InvalidRequestException("user", "'" + id + "' is unknown to this model, which embeds user ids");
        }
        return u;
    }

    private static int[] resolveFeatures(Map<String, String> features, ServingCatalog catalog, List<String> unknown) {
        int[] codes = new int[catalog.userFeatures().size()];
        for (Map.Entry<String, String> e : features.entrySet()) {
            String field = "userFeatures." + e.getKey();
            int f = catalog.userFeatureIndex(e.getKey());
            if (f < 0) {
                throw new InvalidRequestException(field, "is not a user feature of this model; its features are "
                        + catalog.userFeatures().stream().map(x -> x.name()).toList());
            }
            if (e.getValue() == null) {
                throw new InvalidRequestException(field, "must be a string value");
            }
            String value = e.getValue().strip();
            int code = value.isEmpty() ? UserTable.UNKNOWN : catalog.userFeatureCode(f, value);
            if (code < 0) {
                unknown.add(e.getKey() + "=" + value);
                code = UserTable.UNKNOWN;
            }
            codes[f] = code;
        }
        return codes;
    }

    private static float[] feedback(Map<String, Double> feedback, String field, ServingCatalog catalog,
                                    Signal[] order) {
        float[] row = new float[order.length];
        java.util.Arrays.fill(row, Float.NaN);
        for (Map.Entry<String, Double> e : feedback.entrySet()) {
            String f = field + ".feedback." + e.getKey();
            Signal s = Signal.fromColumnName(e.getKey());
            if (s == null || !catalog.records(s)) {
                throw new InvalidRequestException(f, "is not a feedback signal of this model; it reads "
                        + catalog.signals().stream().map(Signal::columnName).toList());
            }
            Double v = e.getValue();
            if (v == null || !Double.isFinite(v)) {
                throw new InvalidRequestException(f, "must be a finite number");
            }
            if (s.isBinary() && v != 0 && v != 1) {
                throw new InvalidRequestException(f, "must be 0 or 1, got " + v);
            }
            if (!s.isBinary() && v < 0) {
                throw new InvalidRequestException(f, "must not be negative, got " + v);
            }
            for (int j = 0; j < order.length; j++) {
                if (order[j] == s) {
                    row[j] = v.floatValue();
                }
            }
        }
        return row;
    }

    private ItemFilter exclusions(RecommendRequest request, ServingCatalog catalog, int[] history) {
        List<String> ex = request.exclude();
        if (ex.size() > limits.maxExclude()) {
            throw new InvalidRequestException("exclude", "at most " + limits.maxExclude() + " items, got " + ex.size());
        }
        IntArrayList out = new IntArrayList(ex.size() + (request.keepHistory() ? 0 : history.length));
        for (int i = 0; i < ex.size(); i++) {
            String id = ex.get(i);
            if (id == null || id.isEmpty()) {
                throw new InvalidRequestException("exclude[" + i + "]", "must be a non-empty item id");
            }
            int index = catalog.indexOf(id);
            if (index >= 0) {
                out.add(index);
            }
        }
        if (!request.keepHistory()) {
            out.addAll(history);
        }
        return ItemFilter.of(out.toArray());
    }

    /** Indices {@code 0..n-1} in stable time order. */
    private static int[] byTime(long[] times, int n) {
        Integer[] idx = new Integer[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        java.util.Arrays.sort(idx, (a, b) -> Long.compare(times[a], times[b]));
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = idx[i];
        }
        return out;
    }

    private static int[] permute(int[] values, int[] order) {
        if (order == null) {
            return values;
        }
        int[] out = new int[values.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = values[order[i]];
        }
        return out;
    }
}
