package dev.onerec4j.engine.data.read;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import dev.onerec4j.engine.data.Dataset;
import dev.onerec4j.engine.data.DatasetBuilder;
import dev.onerec4j.engine.data.DatasetReader;
import dev.onerec4j.engine.data.Signal;
import dev.onerec4j.engine.data.io.DataFiles;
import dev.onerec4j.engine.data.io.Fields;
import dev.onerec4j.engine.data.io.LineSource;

/**
 * Reads MovieLens 1M: {@code ratings.dat} ({@code UserID::MovieID::Rating::Timestamp}, required),
 * {@code movies.dat} ({@code MovieID::Title::Genres}, latin-1, optional) and {@code users.dat}
 * ({@code UserID::Gender::Age::Occupation::Zip-code}, optional). Items and users are indexed in the order of
 * movies.dat / users.dat, then any others in order of first rating. Histories are sorted by timestamp
 * (stable: ties keep the file order). Signal: rating; positive: rating &gt;= 4.
 */
public final class MovieLens1mReader implements DatasetReader {

    private static final String FORMAT = "ml-1m";
    private static final String SEP = "::";
    private static final String[] OCCUPATIONS = {
        "other", "academic/educator", "artist", "clerical/admin", "college/grad student", "customer service",
        "doctor/health care", "executive/managerial", "farmer", "homemaker", "K-12 student", "lawyer",
        "programmer", "retired", "sales/marketing", "scientist", "self-employed", "technician/engineer",
        "tradesman/craftsman", "unemployed", "writer"};

    @Override
    public Dataset read(Path dir) {
        DataFiles.requireDirectory(dir, FORMAT);
        Path ratings = DataFiles.require(dir, "ratings.dat", FORMAT);
        Path movies = DataFiles.find(dir, "movies.dat");
        Path users = DataFiles.find(dir, "users.dat");
        DatasetBuilder builder = new DatasetBuilder("ml-1m");
        if (movies != null) {
            readMovies(movies, builder);
        }
        MovieLensFields.declareUserFeatures(builder);
        if (users != null) {
            readUsers(users, builder);
        }
        MovieLensFields.readRatings(ratings, builder, SEP, "4 fields UserID::MovieID::Rating::Timestamp",
                "UserID::MovieID::Rating::Timestamp");
        return builder.build(MovieLensFields.POSITIVE, DatasetBuilder.Ordering.SORT_BY_TIME);
    }

    private static void readMovies(Path file, DatasetBuilder builder) {
        try (LineSource in = LineSource.open(file, StandardCharsets.ISO_8859_1)) {
            for (String line; (line = in.next()) != null; ) {
                if (line.isEmpty()) {
                    continue;
                }
                String[] f = Fields.split(line, SEP);
                if (f.length != 3) {
                    throw in.error("3 fields MovieID::Title::Genres", line);
                }
                in.parseInt(f[0], "a movie id");
                if (builder.existingItem(f[0].strip()) >= 0) {
                    throw in.error("expected each movie once, but movie " + f[0].strip() + " is listed twice");
                }
                int item = builder.item(f[0].strip());
                MovieLensFields.addTitle(builder, item, f[1]);
                MovieLensFields.addGenres(builder, item, List.of(Fields.split(f[2], '|')));
            }
        }
    }

    private static void readUsers(Path file, DatasetBuilder builder) {
        try (LineSource in = LineSource.open(file, StandardCharsets.ISO_8859_1)) {
            for (String line; (line = in.next()) != null; ) {
                if (line.isEmpty()) {
                    continue;
                }
                String[] f = Fields.split(line, SEP);
                if (f.length != 5) {
                    throw in.error("5 fields UserID::Gender::Age::Occupation::Zip-code", line);
                }
                in.parseInt(f[0], "a user id");
                int age = in.parseInt(f[2], "an age code");
                int occupation = in.parseInt(f[3], "an occupation code");
                if (occupation < 0 || occupation >= OCCUPATIONS.length) {
                    throw in.error("an occupation code 0.." + (OCCUPATIONS.length - 1), f[3]);
                }
                if (builder.existingUser(f[0].strip()) >= 0) {
                    throw in.error("expected each user once, but user " + f[0].strip() + " is listed twice");
                }
                int user = builder.user(f[0].strip());
                builder.setUserFeature(user, "gender", f[1]);
                builder.setUserFeature(user, "age", MovieLensFields.ageBucket(age));
                builder.setUserFeature(user, "occupation", OCCUPATIONS[occupation]);
                builder.setUserFeature(user, "zip_prefix", MovieLensFields.zipPrefix(f[4]));
            }
        }
    }
}
