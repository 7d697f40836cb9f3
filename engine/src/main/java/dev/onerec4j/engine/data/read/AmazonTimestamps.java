package dev.onerec4j.engine.data.read;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import dev.onerec4j.engine.UserException;
import dev.onerec4j.engine.data.io.Fields;
import dev.onerec4j.engine.data.io.Header;
import dev.onerec4j.engine.data.io.LineSource;

/**
 * Reads {@code <Prefix>_interactions.tsv} ({@code user_id<TAB>item_id<TAB>timestamp}, header, one row per
 * interaction in sequence-file order) and lines the times up with the sequences: the k-th row of a user must
 * name the k-th item of that user's sequence.
 */
final class AmazonTimestamps {

    private AmazonTimestamps() {
    }

    /** times[userId-1][k] = time of the k-th item of that user. */
    static long[][] read(Path file, Path sequenceFile, List<int[]> sequences, int maxUser) {
        long[][] times = new long[maxUser][];
        int[][] items = new int[maxUser][];
        for (int[] seq : sequences) {
            times[seq[0] - 1] = new long[seq.length - 1];
            items[seq[0] - 1] = seq;
        }
        int[] cursor = new int[maxUser];
        try (LineSource in = LineSource.open(file, StandardCharsets.UTF_8)) {
            Header header = Header.read(in, '\t', false);
            int userCol = header.require("user_id");
            int itemCol = header.require("item_id");
            int timeCol = header.require("timestamp");
            for (String line; (line = in.next()) != null; ) {
                if (line.isEmpty()) {
                    continue;
                }
                String[] f = Fields.split(line, '\t');
                header.checkWidth(f, line);
                int user = in.parseInt(f[userCol], "a user id");
                int item = in.parseInt(f[itemCol], "an item id");
                long time = in.parseLong(f[timeCol], "a unix timestamp");
                if (user < 1 || user > maxUser || items[user - 1] == null) {
                    throw in.error("a user id that has a line in " + sequenceFile.getFileName(), f[userCol]);
                }
                int k = cursor[user - 1];
                int[] seq = items[user - 1];
                if (k + 1 >= seq.length) {
                    throw in.error("at most " + (seq.length - 1) + " rows for user " + user + " (its length in "
                            + sequenceFile.getFileName() + ")", line);
                }
                if (seq[k + 1] != item) {
                    throw in.error("item " + seq[k + 1] + " (item " + (k + 1) + " of user " + user + " in "
                            + sequenceFile.getFileName() + "; rows must follow the sequence order)", line);
                }
                times[user - 1][k] = time;
                cursor[user - 1] = k + 1;
            }
        }
        for (int[] seq : sequences) {
            int u = seq[0] - 1;
            if (cursor[u] != seq.length - 1) {
                throw new UserException(file + ": user " + seq[0] + " has " + cursor[u] + " timestamp rows but "
                        + (seq.length - 1) + " items in " + sequenceFile.getFileName()
                        + "; expected one row per interaction");
            }
        }
        return times;
    }
}
