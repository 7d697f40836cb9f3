package dev.onerec4j.engine.serve.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.onerec4j.engine.serve.HistoryEntry;
import dev.onerec4j.engine.serve.InvalidRequestException;
import dev.onerec4j.engine.serve.NewItem;
import dev.onerec4j.engine.serve.RecommendRequest;
import dev.onerec4j.engine.tokenizer.ItemFeatures;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the JSON bodies of the HTTP API into requests, strictly: every field has one type, unknown fields are
 * refused, and every problem is an {@link InvalidRequestException} naming the field (JSON-path style:
 * {@code history[3].timestamp}). Item ids may be strings or integers (sent as numbers, they are read as their
 * decimal text).
 */
final class JsonRequests {

    static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    static {
        JSON.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64)
                .maxNumberLength(64).maxStringLength(1 << 20).build());
    }

    private static final Set<String> RECOMMEND_FIELDS = Set.of("user", "userFeatures", "history", "k", "beamWidth",
            "exclude", "keepHistory");
    private static final Set<String> HISTORY_FIELDS = Set.of("item", "timestamp", "feedback");
    private static final Set<String> ITEM_FIELDS = Set.of("id", "sid", "features", "title", "duration");
    private static final Set<String> FEATURE_FIELDS = Set.of("texts", "values", "numeric");

    private JsonRequests() {
    }

    /** Parses a body into a JSON object, or fails naming {@code body}. */
    static JsonNode object(byte[] body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr();
            throw new InvalidRequestException("body", "is not valid JSON" + where + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidRequestException("body", "cannot be read: " + e.getMessage());
        }
        if (root == null || root.isMissingNode()) {
            throw new InvalidRequestException("body", "is empty; expected a JSON object");
        }
        if (!root.isObject()) {
            throw new InvalidRequestException("body", "must be a JSON object, got " + kind(root));
        }
        return root;
    }

    static RecommendRequest recommend(byte[] body) {
        JsonNode root = object(body);
        onlyKnown(root, RECOMMEND_FIELDS, "");
        String user = optionalString(root, "user", "user");
        Map<String, String> features = new LinkedHashMap<>();
        JsonNode uf = root.get("userFeatures");
        if (uf != null && !uf.isNull()) {
            if (!uf.isObject()) {
                throw new InvalidRequestException("userFeatures", "must be an object of feature name to value, got "
                        + kind(uf));
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = uf.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isTextual() && !e.getValue().isIntegralNumber()) {
                    throw new InvalidRequestException("userFeatures." + clip(e.getKey()), "must be a string, got "
                            + kind(e.getValue()));
                }
                features.put(e.getKey(), e.getValue().asText());
            }
        }
        JsonNode h = root.get("history");
        if (h == null || h.isNull()) {
            throw new InvalidRequestException("history", "is required: the items the user interacted with, oldest first");
        }
        if (!h.isArray()) {
            throw new InvalidRequestException("history", "must be an array of item ids or {\"item\": ...} objects, got "
                    + kind(h));
        }
        List<HistoryEntry> history = new ArrayList<>(h.size());
        for (int i = 0; i < h.size(); i++) {
            history.add(entry(h.get(i), "history[" + i + "]"));
        }
        int k = requiredInt(root, "k");
        int beam = root.has("beamWidth") && !root.get("beamWidth").isNull() ? requiredInt(root, "beamWidth") : 0;
        if (root.has("beamWidth") && !root.get("beamWidth").isNull() && beam == 0) {
            throw new InvalidRequestException("beamWidth", "must be at least 1, got 0");
        }
        List<String> exclude = new ArrayList<>();
        JsonNode ex = root.get("exclude");
        if (ex != null && !ex.isNull()) {
            if (!ex.isArray()) {
                throw new InvalidRequestException("exclude", "must be an array of item ids, got " + kind(ex));
            }
            for (int i = 0; i < ex.size(); i++) {
                exclude.add(id(ex.get(i), "exclude[" + i + "]"));
            }
        }
        boolean keep = false;
        JsonNode kh = root.get("keepHistory");
        if (kh != null && !kh.isNull()) {
            if (!kh.isBoolean()) {
                throw new InvalidRequestException("keepHistory", "must be true or false, got " + kind(kh));
            }
            keep = kh.asBoolean();
        }
        return new RecommendRequest(user, features, history, k, beam, exclude, keep);
    }

    private static HistoryEntry entry(JsonNode n, String field) {
        if (n.isTextual() || n.isIntegralNumber()) {
            return HistoryEntry.of(id(n, field));
        }
        if (!n.isObject()) {
            throw new InvalidRequestException(field, "must be an item id or an object {\"item\": ...}, got " + kind(n));
        }
        onlyKnown(n, HISTORY_FIELDS, field + ".");
        JsonNode item = n.get("item");
        if (item == null || item.isNull()) {
            throw new InvalidRequestException(field + ".item", "is required");
        }
        String id = id(item, field + ".item");
        Long timestamp = null;
        JsonNode ts = n.get("timestamp");
        if (ts != null && !ts.isNull()) {
            if (!ts.isIntegralNumber() || !ts.canConvertToLong()) {
                throw new InvalidRequestException(field + ".timestamp", "must be an integer (unix seconds), got "
                        + kind(ts));
            }
            timestamp = ts.asLong();
        }
        Map<String, Double> feedback = new LinkedHashMap<>();
        JsonNode fb = n.get("feedback");
        if (fb != null && !fb.isNull()) {
            if (!fb.isObject()) {
                throw new InvalidRequestException(field + ".feedback", "must be an object of signal name to number, got "
                        + kind(fb));
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = fb.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isNumber()) {
                    throw new InvalidRequestException(field + ".feedback." + clip(e.getKey()), "must be a number, got "
                            + kind(e.getValue()));
                }
                feedback.put(e.getKey(), e.getValue().asDouble());
            }
        }
        return new HistoryEntry(id, timestamp, feedback);
    }

    static NewItem item(byte[] body) {
        JsonNode root = object(body);
        onlyKnown(root, ITEM_FIELDS, "");
        JsonNode idNode = root.get("id");
        if (idNode == null || idNode.isNull()) {
            throw new InvalidRequestException("id", "is required");
        }
        String id = id(idNode, "id");
        String title = optionalString(root, "title", "title");
        float duration = Float.NaN;
        JsonNode d = root.get("duration");
        if (d != null && !d.isNull()) {
            if (!d.isNumber() || !Double.isFinite(d.asDouble()) || d.asDouble() < 0) {
                throw new InvalidRequestException("duration", "must be a non-negative number of seconds, got " + d);
            }
            duration = (float) d.asDouble();
        }
        JsonNode sidNode = root.get("sid");
        JsonNode featuresNode = root.get("features");
        boolean hasSid = sidNode != null && !sidNode.isNull();
        boolean hasFeatures = featuresNode != null && !featuresNode.isNull();
        if (hasSid == hasFeatures) {
            throw new InvalidRequestException("sid", "give exactly one of \"sid\" (the item's semantic ID) and "
                    + "\"features\" (to derive it with the tokenizer)");
        }
        if (hasSid) {
            if (!sidNode.isArray() || sidNode.isEmpty()) {
                throw new InvalidRequestException("sid", "must be a non-empty array of integers, got " + kind(sidNode));
            }
            int[] sid = new int[sidNode.size()];
            for (int i = 0; i < sid.length; i++) {
                JsonNode t = sidNode.get(i);
                if (!t.isIntegralNumber() || !t.canConvertToInt()) {
                    throw new InvalidRequestException("sid[" + i + "]", "must be an integer, got " + kind(t));
                }
                sid[i] = t.asInt();
            }
            return new NewItem(id, sid, null, title, duration);
        }
        return new NewItem(id, null, features(id, featuresNode), title, duration);
    }

    /** {@code {"texts": {"title": "..."}, "values": {"cat": ["a"]}, "numeric": {"price": 3.5}}}. */
    private static ItemFeatures features(String id, JsonNode n) {
        if (!n.isObject()) {
            throw new InvalidRequestException("features", "must be an object with texts, values and numeric, got "
                    + kind(n));
        }
        onlyKnown(n, FEATURE_FIELDS, "features.");
        ItemFeatures f = ItemFeatures.of(id);
        JsonNode texts = n.get("texts");
        if (texts != null && !texts.isNull()) {
            requireObject(texts, "features.texts");
            for (Iterator<Map.Entry<String, JsonNode>> it = texts.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isTextual()) {
                    throw new InvalidRequestException("features.texts." + e.getKey(), "must be a string");
                }
                f = f.withText(e.getKey(), e.getValue().asText());
            }
        }
        JsonNode values = n.get("values");
        if (values != null && !values.isNull()) {
            requireObject(values, "features.values");
            for (Iterator<Map.Entry<String, JsonNode>> it = values.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String field = "features.values." + e.getKey();
                if (!e.getValue().isArray()) {
                    throw new InvalidRequestException(field, "must be an array of strings");
                }
                for (int i = 0; i < e.getValue().size(); i++) {
                    JsonNode v = e.getValue().get(i);
                    if (!v.isTextual()) {
                        throw new InvalidRequestException(field + "[" + i + "]", "must be a string");
                    }
                    f = f.withValue(e.getKey(), v.asText());
                }
            }
        }
        JsonNode numeric = n.get("numeric");
        if (numeric != null && !numeric.isNull()) {
            requireObject(numeric, "features.numeric");
            for (Iterator<Map.Entry<String, JsonNode>> it = numeric.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isNumber() || !Double.isFinite(e.getValue().asDouble())) {
                    throw new InvalidRequestException("features.numeric." + e.getKey(), "must be a finite number");
                }
                f = f.withNumeric(e.getKey(), (float) e.getValue().asDouble());
            }
        }
        return f;
    }

    private static void requireObject(JsonNode n, String field) {
        if (!n.isObject()) {
            throw new InvalidRequestException(field, "must be an object, got " + kind(n));
        }
    }

    private static void onlyKnown(JsonNode n, Set<String> known, String prefix) {
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!known.contains(name)) {
                throw new InvalidRequestException(prefix + clip(name), "is not a field of this request; expected "
                        + known.stream().sorted().toList());
            }
        }
    }

    private static String id(JsonNode n, String field) {
        if (n == null || n.isNull()) {
            throw new InvalidRequestException(field, "must be an item id (string or integer), got null");
        }
        if (n.isIntegralNumber()) {
            return n.bigIntegerValue().toString();
        }
        if (!n.isTextual()) {
            throw new InvalidRequestException(field, "must be an item id (string or integer), got " + kind(n));
        }
        if (n.asText().isEmpty()) {
            throw new InvalidRequestException(field, "must be a non-empty item id");
        }
        return n.asText();
    }

    private static String optionalString(JsonNode root, String name, String field) {
        JsonNode n = root.get(name);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual() && !n.isIntegralNumber()) {
            throw new InvalidRequestException(field, "must be a string, got " + kind(n));
        }
        return n.asText();
    }

    private static int requiredInt(JsonNode root, String name) {
        JsonNode n = root.get(name);
        if (n == null || n.isNull()) {
            throw new InvalidRequestException(name, "is required (an integer)");
        }
        if (!n.isIntegralNumber()) {
            throw new InvalidRequestException(name, "must be an integer, got " + kind(n));
        }
        if (!n.canConvertToInt()) {
            throw new InvalidRequestException(name, "is out of range: " + n.asText());
        }
        return n.asInt();
    }

    /** A name from the request, shortened for an error message. */
    static String clip(String name) {
        return name.length() > 64 ? name.substring(0, 64) + "…" : name;
    }

    /** A short description of a JSON value's type, for messages. */
    static String kind(JsonNode n) {
        if (n == null || n.isNull()) {
            return "null";
        }
        if (n.isTextual()) {
            String t = n.asText();
            return "the string \"" + (t.length() > 40 ? t.substring(0, 40) + "…" : t) + "\"";
        }
        if (n.isNumber()) {
            String t = n.asText();
            return "the number " + (t.length() > 40 ? t.substring(0, 40) + "…" : t);
        }
        if (n.isBoolean()) {
            return n.asText();
        }
        if (n.isArray()) {
            return "an array";
        }
        return n.isObject() ? "an object" : n.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
    }
}
