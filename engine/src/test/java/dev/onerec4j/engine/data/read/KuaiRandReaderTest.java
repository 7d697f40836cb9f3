package dev.onerec4j.engine.data.read;

import static dev.onerec4j.engine.data.TestFiles.assertUserError;
import static dev.onerec4j.engine.data.TestFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.onerec4j.engine.data.Dataset;
import dev.onerec4j.engine.data.DatasetFormat;
import dev.onerec4j.engine.data.Histories;
import dev.onerec4j.engine.data.Signal;
import dev.onerec4j.engine.data.TestFiles;
import dev.onerec4j.engine.data.UserTable;

/** KuaiRand is not available here: these fixtures follow the column layout of the public release. */
class KuaiRandReaderTest {

    static final String LOG_HEADER = "user_id,video_id,date,hourmin,time_ms,is_click,is_like,is_follow,is_comment,"
            + "is_forward,is_hate,long_view,play_time_ms,duration_ms,profile_stay_time,comment_stay_time,"
            + "is_profile_enter,is_rand,tab";
    static final String VIDEO_HEADER = "video_id,author_id,video_type,upload_dt,upload_type,visible_status,"
            + "video_duration,server_width,server_height,music_id,music_type,tag";

    @TempDir
    Path dir;

    private static String userHeader() {
        List<String> cols = new ArrayList<>(List.of("user_id", "user_active_degree", "is_lowactive_period",
                "is_live_streamer", "is_video_author", "follow_user_num", "follow_user_num_range", "fans_user_num",
                "fans_user_num_range", "friend_user_num", "friend_user_num_range", "register_days",
                "register_days_range"));
        for (int k = 0; k <= 17; k++) {
            cols.add("onehot_feat" + k);
        }
        return String.join(",", cols);
    }

    private static String userRow(long id, String degree, String followRange) {
        return id + "," + degree + ",0,0,1,5,\"" + followRange + "\",312,\"[100,1k)\",0,0,3624,730+,"
                + "1,2,2,1153,4,0,0,31,354,3,3,2,1,0,0,0,0,0";
    }

    private Path fixture() {
        Path data = dir.resolve("data");
        write(data, "log_standard_4_08_to_4_21_pure.csv", LOG_HEADER,
                "17387,1123453,20220421,400,1650485801301,1,0,0,0,0,0,1,151024,104400,0,0,0,0,1",
                "17387,42,20220421,401,1650485861000,1,1,0,0,0,0,0,3000,17200,0,0,0,0,1",
                "5,42,20220410,1200,1649563200000,0,0,0,0,0,0,0,500,17200,0,0,0,0,2");
        write(data, "log_standard_4_22_to_5_08_pure.csv", LOG_HEADER,
                "17387,7,20220420,900,1650416400000,1,0,1,0,0,0,0,2000,9000,0,0,0,0,1",
                "5,7,20220501,1000,1651370400000,1,0,0,0,0,1,0,100,9000,0,0,0,0,1");
        write(data, "log_random_4_22_to_5_08_pure.csv", LOG_HEADER,
                "5,99,20220502,1000,1651456800000,1,0,0,1,0,0,0,100,5000,0,0,0,1,1");
        write(data, "video_features_basic_pure.csv", VIDEO_HEADER,
                "42,441,NORMAL,2020-07-08,ShortImport,1,17200.0,720,1280,989206467,4,\"12,65\"",
                "7,9,AD,2021-01-01,Web,1,,720,1280,1,,",
                "1123453,441,NORMAL,2020-07-08,ShortImport,1,104400.0,720,1280,5,4,3",
                "555,1,NORMAL,2020-07-08,ShortImport,1,1000.0,720,1280,5,4,3");
        write(data, "video_features_statistic_pure.csv", "video_id,counts", "42,66");
        write(data, "user_features_pure.csv", userHeader(),
                userRow(17387, "full_active", "(0,10]"),
                userRow(5, "high_active", "0"),
                userRow(6, "UNKNOWN", "0"));
        return dir;
    }

    @Test
    void readsLogsVideosAndUsers() {
        Dataset d = DatasetFormat.KUAIRAND.read(fixture());
        TestFiles.assertCounts(d, 2, 3, 5);
        assertEquals(EnumSet.of(Signal.CLICK, Signal.LIKE, Signal.FOLLOW, Signal.COMMENT, Signal.FORWARD,
                Signal.HATE, Signal.LONG_VIEW, Signal.PLAY_TIME), d.signals());
        int u = d.users().indexOf("17387");
        assertEquals(List.of("7", "1123453", "42"), TestFiles.historyIds(d, u), "sorted by time_ms across files");
        Histories h = d.histories();
        int first = h.start(u);
        assertEquals(1650416400L, h.timestamp(first), "unix seconds");
        assertEquals(1650485801L, h.timestamp(first + 1));
        assertEquals(151.024f, h.signal(Signal.PLAY_TIME, first + 1), 1e-4f);
        assertEquals(1f, h.signal(Signal.LONG_VIEW, first + 1));
        assertEquals(1f, h.signal(Signal.FOLLOW, first));
        assertTrue(h.isPositive(first), "follow");
        assertTrue(h.isPositive(first + 1), "long view");
        assertTrue(h.isPositive(first + 2), "like");
        int v = d.users().indexOf("5");
        assertEquals(List.of("42", "7"), TestFiles.historyIds(d, v));
        assertFalse(h.isPositive(h.start(v)));
        assertEquals(1f, h.signal(Signal.HATE, h.start(v) + 1));

        int item42 = d.items().indexOf("42");
        assertEquals(List.of("author:441", "tag:12", "tag:65", "type:normal", "upload:shortimport", "music_type:4"),
                TestFiles.tokens(d.items(), item42));
        assertEquals(17.2f, d.items().duration(item42), 1e-4f);
        assertEquals("tag:12", d.items().className(d.items().classLabel(item42)));
        int item7 = d.items().indexOf("7");
        assertEquals(9f, d.items().duration(item7), 1e-4f, "video table has none: the log's duration_ms");
        assertEquals(-1, d.items().classLabel(item7));
        assertEquals(-1, d.items().indexOf("555"), "videos outside the logs are not kept");
        assertEquals(-1, d.items().indexOf("99"), "random-exposure log not read by default");

        UserTable users = d.users();
        assertFalse(users.featureNames().contains("fans_user_num"), "raw counts are skipped");
        assertEquals(4 + 4 + 18, users.featureNames().size(), "flags, the four *_range buckets, onehot_feat0..17");
        UserTable.CategoricalFeature range = users.feature("follow_user_num_range");
        assertEquals("(0,10]", range.value(range.code(u)), "quoted csv value with a comma");
        assertEquals("high_active", users.feature("user_active_degree").value(users.feature("user_active_degree")
                .code(v)));
        assertEquals(-1, users.indexOf("6"), "users outside the logs are not kept");
    }

    @Test
    void randomExposureLogOnRequest() {
        Dataset d = new KuaiRandReader(true).read(fixture());
        TestFiles.assertCounts(d, 2, 4, 6);
        assertTrue(d.histories().isPositive(d.histories().end(d.users().indexOf("5")) - 1), "comment");
    }

    @Test
    void readingWritesNothing() {
        fixture();
        List<Path> before = TestFiles.filesUnder(dir);
        DatasetFormat.KUAIRAND.read(dir);
        assertEquals(before, TestFiles.filesUnder(dir));
    }

    @Test
    void badInput() {
        assertUserError(() -> DatasetFormat.KUAIRAND.read(dir), "no log_standard_*.csv");
        write(dir, "log_standard_a.csv", "user_id,video_id", "1,2");
        assertUserError(() -> DatasetFormat.KUAIRAND.read(dir), "log_standard_a.csv:1:", "'time_ms'");
        write(dir, "log_standard_a.csv", LOG_HEADER, "1,2,20220421,400,1650485801301,1,0");
        assertUserError(() -> DatasetFormat.KUAIRAND.read(dir), "log_standard_a.csv:2:", "expected 19 fields",
                "found 7");
        write(dir, "log_standard_a.csv", LOG_HEADER,
                "1,2,20220421,400,1650485801301,yes,0,0,0,0,0,1,151024,104400,0,0,0,0,1");
        assertUserError(() -> DatasetFormat.KUAIRAND.read(dir), "log_standard_a.csv:2:", "is_click (a number)");
        write(dir, "log_standard_a.csv", LOG_HEADER);
        assertUserError(() -> DatasetFormat.KUAIRAND.read(dir), "log_standard_a.csv", "no interactions");
        write(dir, "log_standard_a.csv", LOG_HEADER,
                "1,2,20220421,400,1650485801301,1,0,0,0,0,0,1,151024,104400,0,0,0,0,1");
        write(dir, "video_features_basic.csv", VIDEO_HEADER, "2,x,NORMAL,2020-07-08,ShortImport,1,1,1,1,1,1,1");
        assertUserError(() -> DatasetFormat.KUAIRAND.read(dir), "video_features_basic.csv:2:", "an author_id");
    }
}
