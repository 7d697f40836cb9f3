package dev.onerec4j.engine.train;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.onerec4j.engine.UserException;
import dev.onerec4j.engine.data.Dataset;
import dev.onerec4j.engine.data.DatasetParts;
import dev.onerec4j.engine.data.ItemCatalog;
import dev.onerec4j.engine.data.PositiveRule;
import dev.onerec4j.engine.data.Signal;
import dev.onerec4j.engine.data.UserTable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/**
 * {@code catalog.json}: what turning a raw request (external item ids, feedback, user features) into model inputs
 * needs from the training data, so a run folder serves without its data set: the item ids in index order (and
 * titles and durations where the data has them), the recorded feedback signals and the rule that marks positive
 * feedback, the values of each categorical user feature by code, and the user ids when the model embeds them.
 *
 * @param itemIds      external item ids; item {@code i} is index {@code i} of the model
 * @param titles       item titles (null when the data has none)
 * @param durations    item durations in seconds, NaN = unknown (null when the data has none)
 * @param signals      the feedback signals the data records
 * @param positiveRule which interactions count as positive feedback
 * @param userFeatures each categorical user feature with its values by code
 * @param userIds      external user ids by index (null unless the model has a user-id embedding)
 */
public record RunCatalog(List<String> itemIds, List<String> titles, float[] durations, EnumSet<Signal> signals,
                         PositiveRule positiveRule, List<DatasetParts.UserFeature> userFeatures, List<String> userIds) {

    public static final String FILE = "catalog.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The catalogue of {@code dataset}; user ids are kept only when {@code withUserIds}. */
    public static RunCatalog of(Dataset dataset, boolean withUserIds) {
        ItemCatalog items = dataset.items();
        int n = items.size();
        List<String> ids = new ArrayList<>(n);
        List<String> titles = items.textNames().contains(ItemCatalog.TITLE) ? new ArrayList<>(n) : null;
        float[] durations = items.hasNumeric(ItemCatalog.DURATION) ? new float[n] : null;
        for (int i = 0; i < n; i++) {
            ids.add(items.externalId(i));
            if (titles != null) {
                titles.add(items.text(ItemCatalog.TITLE, i));
            }
            if (durations != null) {
                durations[i] = items.duration(i);
            }
        }
        List<DatasetParts.UserFeature> features = new ArrayList<>();
        for (UserTable.CategoricalFeature f : dataset.users().features()) {
            features.add(new DatasetParts.UserFeature(f.name(), f.values()));
        }
        List<String> users = null;
        if (withUserIds) {
            users = new ArrayList<>(dataset.numUsers());
            for (int u = 0; u < dataset.numUsers(); u++) {
                users.add(dataset.users().externalId(u));
            }
        }
        return new RunCatalog(ids, titles, durations, dataset.signals(), dataset.positiveRule(), features, users);
    }

    public void save(Path file) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
            try {
                try (JsonGenerator g = JSON.getFactory().createGenerator(tmp.toFile(), JsonEncoding.UTF8)) {
                    write(g);
                }
                AtomicFiles.move(tmp, file);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private void write(JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeNumberField("version", 1);
        writeStrings(g, "items", itemIds);
        if (titles != null) {
            writeStrings(g, "titles", titles);
        }
        if (durations != null) {
            g.writeArrayFieldStart("durations");
            for (float d : durations) {
                if (Float.isNaN(d)) {
                    g.writeNull();
                } else {
                    g.writeNumber(d);
                }
            }
            g.writeEndArray();
        }
        g.writeArrayFieldStart("signals");
        for (Signal s : signals) {
            g.writeString(s.columnName());
        }
        g.writeEndArray();
        g.writeObjectFieldStart("positiveRule");
        g.writeBooleanField("everything", positiveRule.everything());
        if (!Float.isNaN(positiveRule.minRating())) {
            g.writeNumberField("minRating", positiveRule.minRating());
        }
        g.writeArrayFieldStart("anyOf");
        for (Signal s : positiveRule.anyOf()) {
            g.writeString(s.columnName());
        }
        g.writeEndArray();
        if (!Double.isNaN(positiveRule.minPlayFraction())) {
            g.writeNumberField("minPlayFraction", positiveRule.minPlayFraction());
        }
        g.writeEndObject();
        g.writeArrayFieldStart("userFeatures");
        for (DatasetParts.UserFeature f : userFeatures) {
            g.writeStartObject();
            g.writeStringField("name", f.name());
            writeStrings(g, "values", f.values());
            g.writeEndObject();
        }
        g.writeEndArray();
        if (userIds != null) {
            writeStrings(g, "users", userIds);
        }
        g.writeEndObject();
    }

    private static void writeStrings(JsonGenerator g, String name, List<String> values) throws IOException {
        g.writeArrayFieldStart(name);
        for (String v : values) {
            g.writeString(v);
        }
        g.writeEndArray();
    }

    /** Loads {@code file}; a missing or damaged file is a one-line {@link UserException}. */
    public static RunCatalog load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new UserException("no " + FILE + " in " + file.getParent() + ": the run was trained before runs kept "
                    + "their catalogue; pass --data and --format of its data set once to write it");
        }
        try {
            JsonNode root = JSON.readTree(file.toFile());
            List<String> ids = strings(root.get("items"), "items");
            List<String> titles = root.has("titles") ? strings(root.get("titles"), "titles") : null;
            float[] durations = null;
            if (root.has("durations")) {
                JsonNode d = root.get("durations");
                durations = new float[d.size()];
                for (int i = 0; i < durations.length; i++) {
                    durations[i] = d.get(i).isNull() ? Float.NaN : (float) d.get(i).asDouble();
                }
                require(durations.length == ids.size(), "durations has " + durations.length + " entries for "
                        + ids.size() + " items");
            }
            require(titles == null || titles.size() == ids.size(), "titles do not match the items");
            EnumSet<Signal> signals = EnumSet.noneOf(Signal.class);
            for (String s : strings(root.get("signals"), "signals")) {
                signals.add(signal(s));
            }
            JsonNode rule = root.get("positiveRule");
            require(rule != null && rule.isObject(), "positiveRule is missing");
            EnumSet<Signal> anyOf = EnumSet.noneOf(Signal.class);
            for (String s : strings(rule.get("anyOf"), "positiveRule.anyOf")) {
                anyOf.add(signal(s));
            }
            PositiveRule positive = new PositiveRule(rule.path("everything").asBoolean(false),
                    rule.has("minRating") ? (float) rule.get("minRating").asDouble() : Float.NaN, anyOf,
                    rule.has("minPlayFraction") ? rule.get("minPlayFraction").asDouble() : Double.NaN);
            List<DatasetParts.UserFeature> features = new ArrayList<>();
            JsonNode uf = root.get("userFeatures");
            require(uf != null && uf.isArray(), "userFeatures is missing");
            for (JsonNode f : uf) {
                features.add(new DatasetParts.UserFeature(f.path("name").asText(), strings(f.get("values"),
                        "userFeatures.values")));
            }
            List<String> users = root.has("users") ? strings(root.get("users"), "users") : null;
            return new RunCatalog(ids, titles, durations, signals, positive, features, users);
        } catch (IOException | IllegalArgumentException e) {
            throw new UserException(file + " is damaged: " + e.getMessage().split("\n")[0]);
        }
    }

    private static Signal signal(String name) {
        Signal s = Signal.fromColumnName(name);
        if (s == null) {
            throw new IllegalArgumentException("unknown signal '" + name + "'");
        }
        return s;
    }

    private static List<String> strings(JsonNode n, String field) {
        require(n != null && n.isArray(), field + " is missing or not a list");
        List<String> out = new ArrayList<>(n.size());
        for (JsonNode x : n) {
            require(x.isTextual(), field + " holds a non-string value");
            out.add(x.asText());
        }
        return out;
    }

    private static void require(boolean ok, String problem) {
        if (!ok) {
            throw new IllegalArgumentException(problem);
        }
    }
}
