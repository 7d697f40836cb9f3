package dev.onerec4j.engine.data.read;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.onerec4j.engine.data.Dataset;
import dev.onerec4j.engine.data.DatasetBuilder;
import dev.onerec4j.engine.data.DatasetReader;
import dev.onerec4j.engine.data.io.DataFiles;
import dev.onerec4j.engine.data.io.Fields;
import dev.onerec4j.engine.data.io.LineSource;

/**
 * Reads MovieLens 100K: {@code u.data} ({@code user<TAB>item<TAB>rating<TAB>timestamp}, required),
 * {@code u.item} ({@code id|title|release date|video release date|IMDb URL|} + 19 genre flags, latin-1,
 * optional), {@code u.genre} (genre names, optional) and {@code u.user} ({@code id|age|gender|occupation|zip},
 * optional). Same tokens, features and positive rule as ML-1M (see {@link MovieLensFields}); the year comes
 * from the title, or else from the release date.
 */
public final class MovieLens100kReader implements DatasetReader {

    private static final String FORMAT = "ml-100k";
    private static final List<String> DEFAULT_GENRES = List.of("unknown", "Action", "Adventure", "Animation",
            "Children's", "Comedy", "Crime", "Documentary", "Drama", "Fantasy", "Film-Noir", "Horror", "Musical",
            "Mystery", "Romance", "Sci-Fi", "Thriller", "War", "Western");
    private static final int ITEM_FIXED_FIELDS = 5;

    @Override
    public Dataset read(Path dir) {
        DataFiles.requireDirectory(dir, FORMAT);
        Path ratings = DataFiles.require(dir, "u.data", FORMAT);
        Path items = DataFiles.find(dir, "u.item");
        Path genres = DataFiles.find(dir, "u.genre");
        Path users = DataFiles.find(dir, "u.user");
        DatasetBuilder builder = new DatasetBuilder("ml-100k");
        if (items != null) {
            readItems(items, genres == null ? DEFAULT_GENRES : readGenres(genres), builder);
        }
        MovieLensFields.declareUserFeatures(builder);
        if (users != null) {
            readUsers(users, builder);
        }
        MovieLensFields.readRatings(ratings, builder, "\t", "4 tab-separated fields user, item, rating, timestamp",
                "user<TAB>item<TAB>rating<TAB>timestamp");
        return builder.build(MovieLensFields.POSITIVE, DatasetBuilder.Ordering.SORT_BY_TIME);
    }

    private static List<String> readGenres(Path file) {
        List<String> names = new ArrayList<>();
        try (LineSource in = LineSource.open(file, StandardCharsets.ISO_8859_1)) {
            for (String line; (line = in.next()) != null; ) {
                if (line.isBlank()) {
                    continue;
                }
                String[] f = Fields.split(line, '|');
                if (f.length != 2) {
                    throw in.error("2 fields name|index", line);
                }
                int index = in.parseInt(f[1], "a genre index");
                if (index != names.size()) {
                    throw in.error("genre index " + names.size() + " (indices in order from 0)", f[1]);
                }
                names.add(f[0]);
            }
        }
        return names;
    }

    private static void readItems(Path file, List<String> genreNames, DatasetBuilder builder) {
        int width = ITEM_FIXED_FIELDS + genreNames.size();
        try (LineSource in = LineSource.open(file, StandardCharsets.ISO_8859_1)) {
            for (String line; (line = in.next()) != null; ) {
                if (line.isEmpty()) {
                    continue;
                }
                String[] f = Fields.split(line, '|');
                if (f.length != width) {
                    throw in.error("expected " + width + " fields (id|title|release date|video release date|url| and "
                            + genreNames.size() + " genre flags), found " + f.length + ": \""
                            + LineSource.snippet(line) + "\"");
                }
                in.parseInt(f[0], "a movie id");
                if (builder.existingItem(f[0].strip()) >= 0) {
                    throw in.error("expected each movie once, but movie " + f[0].strip() + " is listed twice");
                }
                int item = builder.item(f[0].strip());
                MovieLensFields.addTitle(builder, item, f[1]);
                if (Float.isNaN(builder.numeric(item, "year")) && f[2].strip().length() >= 4) {
                    String date = f[2].strip();
                    builder.setNumeric(item, "year", in.parseInt(date.substring(date.length() - 4), "a release date"));
                }
                List<String> genres = new ArrayList<>();
                for (int g = 0; g < genreNames.size(); g++) {
                    String flag = f[ITEM_FIXED_FIELDS + g].strip();
                    if (!flag.equals("0") && !flag.equals("1")) {
                        throw in.error("a genre flag 0 or 1 for " + genreNames.get(g), flag);
                    }
                    if (flag.equals("1")) {
                        genres.add(genreNames.get(g));
                    }
                }
                MovieLensFields.addGenres(builder, item, genres);
            }
        }
    }

    private static void readUsers(Path file, DatasetBuilder builder) {
        try (LineSource in = LineSource.open(file, StandardCharsets.ISO_8859_1)) {
            for (String line; (line = in.next()) != null; ) {
                if (line.isEmpty()) {
                    continue;
                }
                String[] f = Fields.split(line, '|');
                if (f.length != 5) {
                    throw in.error("5 fields id|age|gender|occupation|zip", line);
                }
                in.parseInt(f[0], "a user id");
                int age = in.parseInt(f[1], "an age in years");
                if (builder.existingUser(f[0].strip()) >= 0) {
                    throw in.error("expected each user once, but user " + f[0].strip() + " is listed twice");
                }
                int user = builder.user(f[0].strip());
                builder.setUserFeature(user, "gender", f[2]);
                builder.setUserFeature(user, "age", MovieLensFields.ageBucket(age));
                builder.setUserFeature(user, "occupation", f[3]);
                builder.setUserFeature(user, "zip_prefix", MovieLensFields.zipPrefix(f[4]));
            }
        }
    }
}
