package dev.onerec4j.engine.tokenizer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The raw features of one item, as a data set reader would see them, for adding a new (cold-start) item to a
 * tokenizer: free text by field (split into words: {@code title}), categorical values by field ({@code cat},
 * {@code brand}, {@code genre}, {@code tag}; each value one token), and numeric values by name. Field names
 * are those the readers use, so the item's tokens match the tokenizer's vocabulary ({@code title:lacquer},
 * {@code cat:nail polish}, {@code brand:opi}). Immutable; build it with {@link #of} and the {@code with...}
 * methods.
 */
public record ItemFeatures(String id, Map<String, String> texts, Map<String, List<String>> values,
                           Map<String, Float> numeric) {

    public ItemFeatures {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("an item needs a non-empty id");
        }
        texts = Collections.unmodifiableMap(new LinkedHashMap<>(texts));
        Map<String, List<String>> v = new LinkedHashMap<>();
        values.forEach((k, list) -> v.put(k, List.copyOf(list)));
        values = Collections.unmodifiableMap(v);
        numeric = Collections.unmodifiableMap(new LinkedHashMap<>(numeric));
    }

    /** An item with an id and no features yet. */
    public static ItemFeatures of(String id) {
        return new ItemFeatures(id, Map.of(), Map.of(), Map.of());
    }

    /** With free text {@code text} in field {@code field} (replacing any earlier text of that field). */
    public ItemFeatures withText(String field, String text) {
        Map<String, String> t = new LinkedHashMap<>(texts);
        t.put(field, text);
        return new ItemFeatures(id, t, values, numeric);
    }

    /** With one more categorical value of field {@code field}. */
    public ItemFeatures withValue(String field, String value) {
        Map<String, List<String>> v = new LinkedHashMap<>(values);
        List<String> list = new ArrayList<>(v.getOrDefault(field, List.of()));
        list.add(value);
        v.put(field, list);
        return new ItemFeatures(id, texts, v, numeric);
    }

    /** With numeric feature {@code name}. */
    public ItemFeatures withNumeric(String name, float value) {
        Map<String, Float> n = new LinkedHashMap<>(numeric);
        n.put(name, value);
        return new ItemFeatures(id, texts, values, n);
    }

    /**
     * An item from ready-made {@code field:value} content tokens (as stored in a catalogue's vocabulary): each
     * becomes a categorical value of its field.
     */
    public static ItemFeatures fromTokens(String id, List<String> tokens) {
        ItemFeatures f = of(id);
        for (String token : tokens) {
            int colon = token.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("content token '" + token + "' has no field prefix (field:value)");
            }
            f = f.withValue(token.substring(0, colon), token.substring(colon + 1));
        }
        return f;
    }
}
