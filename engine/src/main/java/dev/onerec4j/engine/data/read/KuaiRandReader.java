package dev.onerec4j.engine.data.read;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

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
 * Reads a KuaiRand release directory (27K, 1K or Pure; the directory itself or its {@code data/}):
 * <ul>
 *   <li>{@code log_standard_*.csv} (all parts, in name order; {@code log_random_*.csv} too when constructed with
 *       {@code includeRandomExposure}): columns {@code user_id, video_id, time_ms} required; {@code is_click,
 *       is_like, is_follow, is_comment, is_forward, is_hate, long_view, play_time_ms, duration_ms} read when
 *       present; other columns ignored;</li>
 *   <li>{@code video_features_basic*.csv} (optional): tokens {@code author:<id>}, {@code tag:<t>} (the
 *       comma-separated {@code tag} list), {@code type:<video_type>}, {@code upload:<upload_type>},
 *       {@code music_type:<n>}; numeric {@code duration} (seconds); class label = first tag;</li>
 *   <li>{@code user_features*.csv} (optional): every column is a categorical user feature except
 *       {@code user_id} and the raw counts {@code follow_user_num, fans_user_num, friend_user_num,
 *       register_days} (their {@code *_range} buckets are kept).</li>
 * </ul>
 * Only users and videos that occur in the logs are kept (the feature tables of the 27K release list 32M
 * videos). Timestamps are unix seconds ({@code time_ms / 1000}); histories are sorted by {@code time_ms}
 * (stable). Play time is in seconds; an item's duration comes from the video table, else from the log's
 * {@code duration_ms}. Positive: like, follow, comment, forward or long_view is 1.
 */
public final class KuaiRandReader implements DatasetReader {

    static final String FORMAT = "kuairand";
    static final PositiveRule POSITIVE =
            PositiveRule.anyOf(EnumSet.of(Signal.LIKE, Signal.FOLLOW, Signal.COMMENT, Signal.FORWARD, Signal.LONG_VIEW));
    private static final Set<String> USER_COUNT_COLUMNS =
            Set.of("user_id", "follow_user_num", "fans_user_num", "friend_user_num", "register_days");
    private static final String[][] LOG_SIGNALS = {
        {"is_click", "CLICK"}, {"is_like", "LIKE"}, {"is_follow", "FOLLOW"}, {"is_comment", "COMMENT"},
        {"is_forward", "FORWARD"}, {"is_hate", "HATE"}, {"long_view", "LONG_VIEW"}};

    private final boolean includeRandomExposure;

    /** Reads the standard logs only. */
    public KuaiRandReader() {
        this(false);
    }

    /** @param includeRandomExposure also read {@code log_random_*.csv} (the randomly exposed videos) */
    public KuaiRandReader(boolean includeRandomExposure) {
        this.includeRandomExposure = includeRandomExposure;
    }

    @Override
    public Dataset read(Path dir) {
        DataFiles.requireDirectory(dir, FORMAT);
        List<Path> logs = listFiles(dir, "log_standard_");
        if (includeRandomExposure) {
            logs.addAll(listFiles(dir, "log_random_"));
        }
        if (logs.isEmpty()) {
            throw new UserException(FORMAT + ": no log_standard_*.csv in " + dir + " or " + dir.resolve("data"));
        }
        DatasetBuilder builder = new DatasetBuilder("kuairand");
        builder.timestampsInMillis();
        for (Path log : logs) {
            readLog(log, builder);
        }
        if (builder.numInteractions() == 0) {
            throw new UserException(logs.get(0) + ": no interactions; expected rows user_id,video_id,time_ms,...");
        }
        List<Path> videos = listFiles(dir, "video_features_basic");
        if (videos.size() > 1) {
            throw new UserException(FORMAT + ": several video feature tables " + videos + "; expected one");
        }
        if (!videos.isEmpty()) {
            readVideos(videos.get(0), builder);
        }
        List<Path> users = listFiles(dir, "user_features");
        if (users.size() > 1) {
            throw new UserException(FORMAT + ": several user feature tables " + users + "; expected one");
        }
        if (!users.isEmpty()) {
            readUsers(users.get(0), builder);
        }
        return builder.build(POSITIVE, DatasetBuilder.Ordering.SORT_BY_TIME);
    }

    private static List<Path> listFiles(Path dir, String prefix) {
        List<Path> found = new ArrayList<>();
        for (Path d : DataFiles.searchPath(dir)) {
            try (Stream<Path> files = Files.list(d)) {
                files.filter(Files::isRegularFile)
                        .filter(f -> f.getFileName().toString().startsWith(prefix))
                        .filter(f -> f.getFileName().toString().endsWith(".csv"))
                        .sorted()
                        .forEach(found::add);
            } catch (IOException e) {
                throw new UserException(FORMAT + ": cannot list " + d + ": " + e.getMessage(), e);
            }
        }
        return found;
    }

    private static void readLog(Path file, DatasetBuilder builder) {
        try (LineSource in = LineSource.open(file, StandardCharsets.UTF_8)) {
            Header header = Header.read(in, ',', true);
            int userCol = header.require("user_id");
            int videoCol = header.require("video_id");
            int timeCol = header.require("time_ms");
            int[] signalCols = new int[LOG_SIGNALS.length];
            for (int s = 0; s < LOG_SIGNALS.length; s++) {
                signalCols[s] = header.find(LOG_SIGNALS[s][0]);
                if (signalCols[s] >= 0) {
                    builder.declareSignal(Signal.valueOf(LOG_SIGNALS[s][1]));
                }
            }
            int playCol = header.find("play_time_ms");
            int durationCol = header.find("duration_ms");
            if (playCol >= 0) {
                builder.declareSignal(Signal.PLAY_TIME);
            }
            for (String line; (line = in.next()) != null; ) {
                if (line.isEmpty()) {
                    continue;
                }
                String[] f = Fields.splitCsv(line, in);
                header.checkWidth(f, line);
                in.parseLong(f[userCol], "a user_id");
                in.parseLong(f[videoCol], "a video_id");
                long timeMs = in.parseLong(f[timeCol], "time_ms (a unix time in milliseconds)");
                int user = builder.user(f[userCol].strip());
                int item = builder.item(f[videoCol].strip());
                int row = builder.addInteraction(user, item, timeMs);
                for (int s = 0; s < LOG_SIGNALS.length; s++) {
                    if (signalCols[s] >= 0) {
                        builder.setSignal(row, Signal.valueOf(LOG_SIGNALS[s][1]),
                                in.parseFloatOrNaN(f[signalCols[s]], LOG_SIGNALS[s][0]));
                    }
                }
                if (playCol >= 0) {
                    builder.setSignal(row, Signal.PLAY_TIME, in.parseFloatOrNaN(f[playCol], "play_time_ms") / 1000f);
                }
                if (durationCol >= 0 && Float.isNaN(builder.numeric(item, ItemCatalog.DURATION))) {
                    float ms = in.parseFloatOrNaN(f[durationCol], "duration_ms");
                    if (!Float.isNaN(ms)) {
                        builder.setNumeric(item, ItemCatalog.DURATION, ms / 1000f);
                    }
                }
            }
        }
    }

    private static void readVideos(Path file, DatasetBuilder builder) {
        try (LineSource in = LineSource.open(file, StandardCharsets.UTF_8)) {
            Header header = Header.read(in, ',', true);
            int videoCol = header.require("video_id");
            int authorCol = header.find("author_id");
            int typeCol = header.find("video_type");
            int uploadCol = header.find("upload_type");
            int durationCol = header.find("video_duration");
            int musicTypeCol = header.find("music_type");
            int tagCol = header.find("tag");
            for (String line; (line = in.next()) != null; ) {
                if (line.isEmpty()) {
                    continue;
                }
                String[] f = Fields.splitCsv(line, in);
                header.checkWidth(f, line);
                in.parseLong(f[videoCol], "a video_id");
                int item = builder.existingItem(f[videoCol].strip());
                if (item < 0) {
                    continue; // not in the logs
                }
                if (authorCol >= 0 && !f[authorCol].isBlank()) {
                    builder.addToken(item, "author", Long.toString(in.parseLong(f[authorCol], "an author_id")));
                }
                if (tagCol >= 0) {
                    boolean first = true;
                    for (String tag : Fields.split(f[tagCol], ',')) {
                        if (tag.isBlank()) {
                            continue;
                        }
                        builder.addToken(item, "tag", tag);
                        if (first) {
                            builder.setClass(item, "tag:" + tag.strip());
                            first = false;
                        }
                    }
                }
                if (typeCol >= 0) {
                    builder.addToken(item, "type", f[typeCol]);
                }
                if (uploadCol >= 0) {
                    builder.addToken(item, "upload", f[uploadCol]);
                }
                if (musicTypeCol >= 0 && !f[musicTypeCol].isBlank()) {
                    builder.addToken(item, "music_type", f[musicTypeCol].strip());
                }
                if (durationCol >= 0) {
                    float ms = in.parseFloatOrNaN(f[durationCol], "video_duration (milliseconds)");
                    if (!Float.isNaN(ms)) {
                        builder.setNumeric(item, ItemCatalog.DURATION, ms / 1000f);
                    }
                }
            }
        }
    }

    private static void readUsers(Path file, DatasetBuilder builder) {
        try (LineSource in = LineSource.open(file, StandardCharsets.UTF_8)) {
            Header header = Header.read(in, ',', true);
            int userCol = header.require("user_id");
            List<Integer> featureCols = new ArrayList<>();
            for (int c = 0; c < header.size(); c++) {
                if (!USER_COUNT_COLUMNS.contains(header.name(c))) {
                    featureCols.add(c);
                    builder.declareUserFeature(header.name(c));
                }
            }
            for (String line; (line = in.next()) != null; ) {
                if (line.isEmpty()) {
                    continue;
                }
                String[] f = Fields.splitCsv(line, in);
                header.checkWidth(f, line);
                in.parseLong(f[userCol], "a user_id");
                int user = builder.existingUser(f[userCol].strip());
                if (user < 0) {
                    continue; // not in the logs
                }
                for (int c : featureCols) {
                    builder.setUserFeature(user, header.name(c), f[c]);
                }
            }
        }
    }
}
