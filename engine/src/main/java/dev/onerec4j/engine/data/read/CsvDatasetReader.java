package dev.onerec4j.engine.data.read;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.onerec4j.engine.UserException;
import dev.onerec4j.engine.data.Dataset;
import dev.onerec4j.engine.data.DatasetBuilder;
import dev.onerec4j.engine.data.DatasetReader;
import dev.onerec4j.engine.data.ItemCatalog;
import dev.onerec4j.engine.data.PositiveRule;
import dev.onerec4j.engine.data.Signal;
import dev.onerec4j.engine.data.io.DataFiles;
import dev.onerec4j.engine.data.io.Fields;
import dev.onerec4j.engine.data.io.Header;
import dev.onerec4j.engine.data.io.LineSource;

/**
 * Reads the engine's generic directory format (written by {@link dev.onerec4j.engine.data.CsvDatasetWriter};
 * specified in {@code docs/data-formats.md}): {@code interactions.csv} (required), {@code items.csv} and
 * {@code users.csv} (optional), UTF-8, comma-separated with RFC 4180 quoting, a header line each. Items and
 * users are indexed in the order of items.csv / users.csv, then others in order of first interaction.
 * The data set is named after the directory; its positive rule is {@link PositiveRule#defaultFor}.
 */
public final class CsvDatasetReader implements DatasetReader {

    static final String FORMAT = "csv";
    public static final String INTERACTIONS = "interactions.csv";
    public static final String ITEMS = "items.csv";
    public static final String USERS = "users.csv";

    @Override
    public Dataset read(Path dir) {
        DataFiles.requireDirectory(dir, FORMAT);
        Path interactions = dir.resolve(INTERACTIONS);
        if (!Files.isRegularFile(interactions)) {
            throw new UserException("csv: missing " + interactions + " (expected header user,item,timestamp,...)");
        }
        Path name = dir.toAbsolutePath().normalize().getFileName();
        DatasetBuilder builder = new DatasetBuilder(name == null ? "csv" : name.toString());
        Path items = dir.resolve(ITEMS);
        if (Files.isRegularFile(items)) {
            CsvItemColumns.read(items, builder);
        }
        Path users = dir.resolve(USERS);
        if (Files.isRegularFile(users)) {
            readUsers(users, builder);
        }
        readInteractions(interactions, builder);
        Dataset dataset = builder.build(PositiveRule.all(), DatasetBuilder.Ordering.SORT_BY_TIME);
        boolean hasDurations = dataset.items().hasNumeric(ItemCatalog.DURATION);
        return dataset.withPositiveRule(PositiveRule.defaultFor(dataset.signals(), hasDurations));
    }

    private static void readUsers(Path file, DatasetBuilder builder) {
        try (LineSource in = LineSource.open(file, StandardCharsets.UTF_8)) {
            Header header = Header.read(in, ',', true);
            int userCol = header.require("user");
            for (int c = 0; c < header.size(); c++) {
                if (c != userCol) {
                    builder.declareUserFeature(header.name(c));
                }
            }
            for (String line; (line = in.next()) != null; ) {
                if (line.isEmpty()) {
                    continue;
                }
                String[] f = Fields.splitCsv(line, in);
                header.checkWidth(f, line);
                String id = f[userCol].strip();
                if (id.isEmpty()) {
                    throw in.error("a user id", line);
                }
                if (builder.existingUser(id) >= 0) {
                    throw in.error("expected each user once, but user '" + id + "' is listed twice");
                }
                int user = builder.user(id);
                for (int c = 0; c < header.size(); c++) {
                    if (c != userCol) {
                        builder.setUserFeature(user, header.name(c), f[c]);
                    }
                }
            }
        }
    }

    private static void readInteractions(Path file, DatasetBuilder builder) {
        try (LineSource in = LineSource.open(file, StandardCharsets.UTF_8)) {
            Header header = Header.read(in, ',', true);
            int userCol = header.require("user");
            int itemCol = header.require("item");
            int timeCol = header.require("timestamp");
            int durationCol = header.find("duration");
            List<Signal> signalOfCol = new ArrayList<>();
            for (int c = 0; c < header.size(); c++) {
                String col = header.name(c);
                Signal s = Signal.fromColumnName(col);
                if (s == null && c != userCol && c != itemCol && c != timeCol && c != durationCol) {
                    throw in.error("expected columns user, item, timestamp, duration or a signal ("
                            + signalNames() + "), found column '" + col + "'");
                }
                signalOfCol.add(s);
                if (s != null) {
                    builder.declareSignal(s);
                }
            }
            for (String line; (line = in.next()) != null; ) {
                if (line.isEmpty()) {
                    continue;
                }
                String[] f = Fields.splitCsv(line, in);
                header.checkWidth(f, line);
                String userId = f[userCol].strip();
                String itemId = f[itemCol].strip();
                if (userId.isEmpty() || itemId.isEmpty()) {
                    throw in.error("a user id and an item id", line);
                }
                long time = in.parseLong(f[timeCol], "a timestamp");
                int item = builder.item(itemId);
                int row = builder.addInteraction(builder.user(userId), item, time);
                for (int c = 0; c < f.length; c++) {
                    Signal s = signalOfCol.get(c);
                    if (s != null) {
                        float v = in.parseFloatOrNaN(f[c], s.columnName());
                        if (s.isBinary() && !Float.isNaN(v) && v != 0f && v != 1f) {
                            throw in.error(s.columnName() + " as 0 or 1 (or empty)", f[c]);
                        }
                        builder.setSignal(row, s, v);
                    }
                }
                if (durationCol >= 0 && Float.isNaN(builder.numeric(item, ItemCatalog.DURATION))) {
                    float d = in.parseFloatOrNaN(f[durationCol], "duration (seconds)");
                    if (!Float.isNaN(d)) {
                        builder.setNumeric(item, ItemCatalog.DURATION, d);
                    }
                }
            }
            if (builder.numInteractions() == 0) {
                throw new UserException(file + ": no interactions; expected rows user,item,timestamp,...");
            }
        }
    }

    static String signalNames() {
        List<String> names = new ArrayList<>();
        for (Signal s : Signal.values()) {
            names.add(s.columnName());
        }
        return String.join(", ", names);
    }
}
