package dev.onerec4j.engine.data.read;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.eclipse.collections.impl.list.mutable.primitive.IntArrayList;

import dev.onerec4j.engine.UserException;
import dev.onerec4j.engine.data.Dataset;
import dev.onerec4j.engine.data.DatasetBuilder;
import dev.onerec4j.engine.data.DatasetReader;
import dev.onerec4j.engine.data.PositiveRule;
import dev.onerec4j.engine.data.io.DataFiles;
import dev.onerec4j.engine.data.io.Fields;
import dev.onerec4j.engine.data.io.LineSource;

/**
 * Reads an Amazon 2014 5-core set in the S3-Rec/SASRec layout: {@code <Name>.txt} with one line
 * {@code user item1 item2 ...} per user (ids from 1, time order) and, when present next to it or in a
 * {@code derived/} directory, {@code <Prefix>_interactions.tsv} (timestamps) and {@code <Prefix>_items.tsv}
 * (asin, title, attributes). User and item index = S3-Rec id - 1, so results compare with published tables;
 * external ids are the S3-Rec ids as text (an id below the largest that has no line gets an empty history, so
 * the mapping stays 1:1). Without timestamps, an interaction's timestamp is its position.
 * All interactions are positive (implicit feedback). Content tokens: {@code title:<word>}, {@code brand:<name>},
 * {@code cat:<name>} (see {@link AmazonAttributes}); class label: the first category below the root.
 */
public final class AmazonReader implements DatasetReader {

    private static final String FORMAT = "amazon";

    @Override
    public Dataset read(Path path) {
        Path sequenceFile = findSequenceFile(path);
        String name = stripSuffix(sequenceFile.getFileName().toString(), ".txt");
        List<int[]> sequences = readSequences(sequenceFile);

        List<Path> derivedDirs = derivedDirs(sequenceFile);
        Path interactionsFile = findDerived(derivedDirs, name, "_interactions.tsv");
        Path itemsFile = findDerived(derivedDirs, name, "_items.tsv");
        List<AmazonItemRow> itemRows = itemsFile == null ? List.of() : AmazonItemRow.readAll(itemsFile);

        int maxItem = 0;
        for (int[] seq : sequences) {
            for (int k = 1; k < seq.length; k++) {
                maxItem = Math.max(maxItem, seq[k]);
            }
        }
        for (AmazonItemRow row : itemRows) {
            maxItem = Math.max(maxItem, row.id());
        }
        DatasetBuilder builder = new DatasetBuilder(name);
        for (int id = 1; id <= maxItem; id++) {
            builder.item(Integer.toString(id)); // index = id - 1
        }
        int maxUser = 0;
        for (int[] seq : sequences) {
            maxUser = Math.max(maxUser, seq[0]);
        }
        for (int id = 1; id <= maxUser; id++) {
            builder.user(Integer.toString(id));
        }
        AmazonAttributes.apply(itemRows, builder);

        long[][] times = interactionsFile == null ? null
                : AmazonTimestamps.read(interactionsFile, sequenceFile, sequences, maxUser);
        for (int[] seq : sequences) {
            int user = seq[0] - 1;
            for (int k = 1; k < seq.length; k++) {
                long t = times == null ? k - 1 : times[user][k - 1];
                builder.addInteraction(user, seq[k] - 1, t);
            }
        }
        if (builder.numInteractions() == 0) {
            throw new UserException(sequenceFile + ": no interactions; expected lines 'user item1 item2 ...'");
        }
        return builder.build(PositiveRule.all(), DatasetBuilder.Ordering.AS_ADDED);
    }

    /** Reads {@code <Name>.txt}: each entry is {@code [userId, item1, item2, ...]} with the ids as written. */
    static List<int[]> readSequences(Path file) {
        List<int[]> sequences = new ArrayList<>();
        IntArrayList seen = new IntArrayList();
        try (LineSource in = LineSource.open(file, StandardCharsets.UTF_8)) {
            for (String line; (line = in.next()) != null; ) {
                if (line.isBlank()) {
                    continue;
                }
                String[] tokens = Fields.splitBlanks(line);
                if (tokens.length < 2) {
                    throw in.error("a user id followed by at least one item id", line);
                }
                int[] seq = new int[tokens.length];
                for (int k = 0; k < tokens.length; k++) {
                    seq[k] = in.parseInt(tokens[k], k == 0 ? "a user id" : "an item id");
                    if (seq[k] < 1) {
                        throw in.error((k == 0 ? "a user id" : "an item id") + " >= 1 (ids start at 1)", tokens[k]);
                    }
                }
                while (seen.size() <= seq[0]) {
                    seen.add(0);
                }
                if (seen.get(seq[0]) != 0) {
                    throw in.error("user " + seq[0] + " appears twice (first on line " + seen.get(seq[0])
                            + "); expected one line per user");
                }
                seen.set(seq[0], in.lineNumber());
                sequences.add(seq);
            }
        }
        return sequences;
    }

    private static Path findSequenceFile(Path path) {
        if (Files.isRegularFile(path)) {
            return path;
        }
        DataFiles.requireDirectory(path, FORMAT);
        List<Path> candidates = new ArrayList<>();
        for (Path dir : DataFiles.searchPath(path)) {
            try (Stream<Path> files = Files.list(dir)) {
                files.filter(f -> Files.isRegularFile(f))
                        .filter(f -> f.getFileName().toString().endsWith(".txt"))
                        .filter(f -> !f.getFileName().toString().startsWith("ticoserec_"))
                        .sorted()
                        .forEach(candidates::add);
            } catch (IOException e) {
                throw new UserException("amazon: cannot list " + dir + ": " + e.getMessage(), e);
            }
        }
        if (candidates.isEmpty()) {
            throw new UserException("amazon: no <Name>.txt sequence file in " + path
                    + " (or its original/ subdirectory); expected lines 'user item1 item2 ...'");
        }
        if (candidates.size() > 1) {
            throw new UserException("amazon: several .txt files in " + path + " (" + candidates
                    + "); pass the sequence file itself");
        }
        return candidates.get(0);
    }

    private static List<Path> derivedDirs(Path sequenceFile) {
        Path dir = sequenceFile.toAbsolutePath().getParent();
        List<Path> dirs = new ArrayList<>();
        dirs.add(dir);
        dirs.add(dir.resolve("derived"));
        if (dir.getParent() != null) {
            dirs.add(dir.getParent().resolve("derived"));
        }
        return dirs;
    }

    /**
     * The derived file for data set {@code name}: {@code <Prefix><suffix>} where {@code name} starts with
     * {@code Prefix} (Sports_and_Outdoors.txt goes with Sports_items.tsv); the longest prefix wins.
     */
    static Path findDerived(List<Path> dirs, String name, String suffix) {
        Path best = null;
        int bestLength = -1;
        for (Path dir : dirs) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : (Iterable<Path>) files.sorted()::iterator) {
                    String fileName = f.getFileName().toString();
                    if (!fileName.endsWith(suffix) || !Files.isRegularFile(f)) {
                        continue;
                    }
                    String prefix = stripSuffix(fileName, suffix);
                    if (!prefix.isEmpty() && name.startsWith(prefix) && prefix.length() > bestLength) {
                        best = f;
                        bestLength = prefix.length();
                    }
                }
            } catch (IOException e) {
                throw new UserException("amazon: cannot list " + dir + ": " + e.getMessage(), e);
            }
        }
        return best;
    }

    private static String stripSuffix(String s, String suffix) {
        return s.endsWith(suffix) ? s.substring(0, s.length() - suffix.length()) : s;
    }
}
