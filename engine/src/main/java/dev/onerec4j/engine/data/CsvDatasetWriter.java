package dev.onerec4j.engine.data;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import dev.onerec4j.engine.UserException;
import dev.onerec4j.engine.data.io.Fields;
import dev.onerec4j.engine.data.read.CsvDatasetReader;

/**
 * Writes a {@link Dataset} in the csv directory format that {@link CsvDatasetReader} reads back (same item and
 * user order, tokens, numeric features, text fields, classes, user features, histories and signals). The files
 * are written to a temporary directory next to the target and moved into place, so a failed write never
 * leaves half-written files behind.
 */
public final class CsvDatasetWriter {

    private static final List<String> FILES =
            List.of(CsvDatasetReader.INTERACTIONS, CsvDatasetReader.ITEMS, CsvDatasetReader.USERS);

    private CsvDatasetWriter() {
    }

    /**
     * Writes {@code dataset} into directory {@code dir}. An existing non-empty directory is an error unless
     * {@code overwrite}, in which case its interactions.csv, items.csv and users.csv are replaced.
     */
    public static void write(Dataset dataset, Path dir, boolean overwrite) {
        Path target = dir.toAbsolutePath().normalize();
        checkTarget(target, overwrite);
        Path tmp = null;
        try {
            Files.createDirectories(target.getParent());
            tmp = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".tmp-");
            writeInteractions(dataset, tmp.resolve(CsvDatasetReader.INTERACTIONS));
            writeItems(dataset.items(), tmp.resolve(CsvDatasetReader.ITEMS));
            writeUsers(dataset.users(), tmp.resolve(CsvDatasetReader.USERS));
            if (Files.exists(target)) {
                for (String f : FILES) {
                    Files.move(tmp.resolve(f), target.resolve(f), StandardCopyOption.REPLACE_EXISTING,
                            StandardCopyOption.ATOMIC_MOVE);
                }
                Files.delete(tmp);
            } else {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            }
            tmp = null;
        } catch (IOException e) {
            throw new UserException("cannot write data set to " + target + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                deleteQuietly(tmp);
            }
        }
    }

    private static void checkTarget(Path target, boolean overwrite) {
        if (!Files.exists(target)) {
            return;
        }
        if (!Files.isDirectory(target)) {
            throw new UserException(target + " exists and is not a directory; expected a directory to write into");
        }
        try (Stream<Path> entries = Files.list(target)) {
            if (entries.findAny().isPresent() && !overwrite) {
                throw new UserException(target + " already exists and is not empty; choose another directory "
                        + "or allow overwriting");
            }
        } catch (IOException e) {
            throw new UserException("cannot list " + target + ": " + e.getMessage(), e);
        }
    }

    private static void writeInteractions(Dataset dataset, Path file) throws IOException {
        Histories h = dataset.histories();
        List<Signal> signals = new ArrayList<>(h.signals());
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            StringBuilder line = new StringBuilder("user,item,timestamp");
            for (Signal s : signals) {
                line.append(',').append(s.columnName());
            }
            w.write(line.append('\n').toString());
            for (int u = 0; u < h.numUsers(); u++) {
                String user = Fields.csvQuote(dataset.users().externalId(u));
                for (int r = h.start(u); r < h.end(u); r++) {
                    line.setLength(0);
                    line.append(user).append(',').append(Fields.csvQuote(dataset.items().externalId(h.item(r))))
                            .append(',').append(h.timestamp(r));
                    for (Signal s : signals) {
                        line.append(',').append(number(h.signal(s, r)));
                    }
                    w.write(line.append('\n').toString());
                }
            }
        }
    }

    private static void writeItems(ItemCatalog items, Path file) throws IOException {
        Map<String, List<Integer>> tokensByField = tokensByField(items);
        List<String> header = new ArrayList<>(List.of("item"));
        boolean hasClass = items.numClasses() > 0;
        if (hasClass) {
            header.add("class");
        }
        List<ItemColumn> columns = new ArrayList<>();
        for (String field : tokensByField.keySet()) {
            if (items.textNames().contains(field) && textMatchesTokens(items, field)) {
                columns.add(new ItemColumn(field, "text"));
            } else {
                columns.add(new ItemColumn(field, "list"));
                if (items.textNames().contains(field)) {
                    columns.add(new ItemColumn(field, "raw"));
                }
            }
        }
        for (String field : items.textNames()) {
            if (!tokensByField.containsKey(field)) {
                columns.add(new ItemColumn(field, "raw"));
            }
        }
        for (String field : items.numericNames()) {
            columns.add(new ItemColumn(field, "num"));
        }
        for (ItemColumn c : columns) {
            header.add(c.field + ":" + c.type);
        }
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write(String.join(",", header) + "\n");
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < items.size(); i++) {
                line.setLength(0);
                line.append(Fields.csvQuote(items.externalId(i)));
                if (hasClass) {
                    line.append(',');
                    if (items.classLabel(i) >= 0) {
                        line.append(Fields.csvQuote(items.className(items.classLabel(i))));
                    }
                }
                for (ItemColumn c : columns) {
                    line.append(',').append(Fields.csvQuote(c.value(items, i)));
                }
                w.write(line.append('\n').toString());
            }
        }
    }

    private static void writeUsers(UserTable users, Path file) throws IOException {
        List<UserTable.CategoricalFeature> features = users.features();
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            StringBuilder line = new StringBuilder("user");
            for (UserTable.CategoricalFeature f : features) {
                line.append(',').append(Fields.csvQuote(f.name()));
            }
            w.write(line.append('\n').toString());
            for (int u = 0; u < users.size(); u++) {
                line.setLength(0);
                line.append(Fields.csvQuote(users.externalId(u)));
                for (UserTable.CategoricalFeature f : features) {
                    int code = f.code(u);
                    line.append(',').append(code == UserTable.UNKNOWN ? "" : Fields.csvQuote(f.value(code)));
                }
                w.write(line.append('\n').toString());
            }
        }
    }

    /** Token ids grouped by field, fields in order of first appearance in the vocabulary. */
    private static Map<String, List<Integer>> tokensByField(ItemCatalog items) {
        Map<String, List<Integer>> byField = new LinkedHashMap<>();
        Vocabulary v = items.vocabulary();
        for (int t = 0; t < v.size(); t++) {
            byField.computeIfAbsent(Vocabulary.fieldOf(v.token(t)), k -> new ArrayList<>()).add(t);
        }
        return byField;
    }

    /** Whether every item's {@code field:} tokens are exactly the words of its text field {@code field}. */
    private static boolean textMatchesTokens(ItemCatalog items, String field) {
        String prefix = field + ":";
        for (int i = 0; i < items.size(); i++) {
            Set<String> fromText = new HashSet<>();
            for (String word : WordTokenizer.words(items.text(field, i))) {
                fromText.add(prefix + word);
            }
            Set<String> tokens = new HashSet<>();
            for (int j = 0; j < items.tokenCount(i); j++) {
                String t = items.vocabulary().token(items.token(i, j));
                if (t.startsWith(prefix)) {
                    tokens.add(t);
                }
            }
            if (!fromText.equals(tokens)) {
                return false;
            }
        }
        return true;
    }

    /** A float as the csv writes it: integers without a fraction, NaN as an empty field. */
    static String number(float v) {
        if (Float.isNaN(v)) {
            return "";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e9f) {
            return Long.toString((long) v);
        }
        return Float.toString(v);
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort: the directory is a hidden temporary one
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }

    /** One content column of items.csv. */
    private record ItemColumn(String field, String type) {
        String value(ItemCatalog items, int item) {
            return switch (type) {
                case "text", "raw" -> items.text(field, item);
                case "num" -> number(items.numeric(field, item));
                default -> listValue(items, item);
            };
        }

        private String listValue(ItemCatalog items, int item) {
            String prefix = field + ":";
            StringBuilder out = new StringBuilder();
            for (int j = 0; j < items.tokenCount(item); j++) {
                String t = items.vocabulary().token(items.token(item, j));
                if (Vocabulary.fieldOf(t).equals(field)) {
                    String value = t.substring(prefix.length());
                    if (value.indexOf('|') >= 0) {
                        throw new IllegalArgumentException("token '" + t + "' contains '|', which the csv list "
                                + "columns use as separator");
                    }
                    if (!out.isEmpty()) {
                        out.append('|');
                    }
                    out.append(value);
                }
            }
            return out.toString();
        }
    }
}
