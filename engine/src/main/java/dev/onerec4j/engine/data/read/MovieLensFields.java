package dev.onerec4j.engine.data.read;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.onerec4j.engine.UserException;
import dev.onerec4j.engine.data.DatasetBuilder;
import dev.onerec4j.engine.data.PositiveRule;
import dev.onerec4j.engine.data.Signal;
import dev.onerec4j.engine.data.io.Fields;
import dev.onerec4j.engine.data.io.LineSource;

/**
 * What the two MovieLens readers share: content tokens ({@code title:<word>} without the year,
 * {@code genre:<name>}), numeric feature {@code year}, class label = first genre, user features
 * {@code gender}, {@code age} (the ML-1M buckets 1, 18, 25, 35, 45, 50, 56), {@code occupation} and
 * {@code zip_prefix} (first two characters of the zip code), and the positive rule rating &gt;= 4.
 */
final class MovieLensFields {

    static final PositiveRule POSITIVE = PositiveRule.ratingAtLeast(4);
    static final List<String> USER_FEATURES = List.of("gender", "age", "occupation", "zip_prefix");

    private static final Pattern YEAR_SUFFIX = Pattern.compile("^(.*?)\\s*\\((\\d{4})\\)\\s*$");
    private static final int[] AGE_BUCKETS = {1, 18, 25, 35, 45, 50, 56};

    private MovieLensFields() {
    }

    /** Adds title tokens (raw title kept as text field {@code title}) and, if the title ends in "(yyyy)", the year. */
    static void addTitle(DatasetBuilder builder, int item, String title) {
        String trimmed = title.strip();
        Matcher m = YEAR_SUFFIX.matcher(trimmed);
        if (m.matches()) {
            builder.addText(item, "title", m.group(1));
            builder.setText(item, "title", trimmed); // keep the full title, year included, as the display name
            builder.setNumeric(item, "year", Integer.parseInt(m.group(2)));
        } else {
            builder.addText(item, "title", trimmed);
        }
    }

    /** Adds {@code genre:<name>} tokens; the first genre is the class label. */
    static void addGenres(DatasetBuilder builder, int item, List<String> genres) {
        boolean first = true;
        for (String g : genres) {
            if (g.isBlank()) {
                continue;
            }
            builder.addToken(item, "genre", g);
            if (first) {
                builder.setClass(item, g.strip().toLowerCase(Locale.ROOT));
                first = false;
            }
        }
    }

    /** The ML-1M age bucket (as its code, e.g. "25") of an age in years. */
    static String ageBucket(int age) {
        int bucket = AGE_BUCKETS[0];
        for (int b : AGE_BUCKETS) {
            if (age >= b) {
                bucket = b;
            }
        }
        return Integer.toString(bucket);
    }

    /** The first two characters of a zip code, upper-case ("" when shorter). */
    static String zipPrefix(String zip) {
        String z = zip.strip().toUpperCase(Locale.ROOT);
        return z.length() < 2 ? "" : z.substring(0, 2);
    }

    static void declareUserFeatures(DatasetBuilder builder) {
        for (String f : USER_FEATURES) {
            builder.declareUserFeature(f);
        }
    }

    /**
     * Reads a ratings file of lines {@code user SEP item SEP rating SEP timestamp} (both MovieLens releases use
     * this layout, with different separators) into interactions with a {@link Signal#RATING} signal.
     *
     * @param expected   what a line should look like, for the error on a malformed line
     * @param lineLayout the layout named in the error for a file without ratings
     */
    static void readRatings(Path file, DatasetBuilder builder, String separator, String expected, String lineLayout) {
        try (LineSource in = LineSource.open(file, StandardCharsets.ISO_8859_1)) {
            for (String line; (line = in.next()) != null; ) {
                if (line.isEmpty()) {
                    continue;
                }
                String[] f = Fields.split(line, separator);
                if (f.length != 4) {
                    throw in.error(expected, line);
                }
                in.parseInt(f[0], "a user id");
                in.parseInt(f[1], "an item id");
                float rating = in.parseFloatOrNaN(f[2], "a rating");
                if (Float.isNaN(rating)) {
                    throw in.error("a rating (a number)", f[2]);
                }
                long time = in.parseLong(f[3], "a unix timestamp");
                int row = builder.addInteraction(builder.user(f[0].strip()), builder.item(f[1].strip()), time);
                builder.setSignal(row, Signal.RATING, rating);
            }
            if (builder.numInteractions() == 0) {
                throw new UserException(file + ": no ratings; expected lines " + lineLayout);
            }
        }
    }
}
