package dev.onerec4j.engine.serve.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * Generates requests the API must refuse with a 4xx and a JSON error naming the field: malformed JSON, wrong
 * types at every field, out-of-range k and beam widths, empty, unknown-only and over-long histories, unknown
 * fields, signals and user features, oversized bodies, wrong methods and paths.
 */
final class BadRequests {

    /** One bad request: method, path, body (null = none) and the field the error must name. */
    record Bad(String method, String path, String body, String field) {
    }

    private final Random random;
    private final List<String> items;
    private final int maxBody;

    BadRequests(long seed, List<String> items, int maxBody) {
        this.random = new Random(seed);
        this.items = items;
        this.maxBody = maxBody;
    }

    private String item() {
        return items.get(random.nextInt(items.size()));
    }

    private String history(int n) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : ",").append('"').append(item()).append('"');
        }
        return b.append(']').toString();
    }

    private String valid(String override) {
        return "{\"history\": " + history(1 + random.nextInt(6)) + ", \"k\": " + (1 + random.nextInt(5))
                + (override.isEmpty() ? "" : ", " + override) + "}";
    }

    private static final String[] WRONG_VALUES = {"\"x\"", "1.5", "true", "null", "{}", "[]", "[1]", "-3",
            "1e30", "99999999999999999999", "\"\""};

    private final List<Function<BadRequests, Bad>> kinds = List.of(
            g -> new Bad("POST", Routes.RECOMMEND, g.valid("").substring(0, 1 + g.random.nextInt(20)), "body"),
            g -> new Bad("POST", Routes.RECOMMEND, g.valid("") + "}", "body"),
            g -> new Bad("POST", Routes.RECOMMEND, g.garbage(), "body"),
            g -> new Bad("POST", Routes.RECOMMEND, g.pick("[]", "\"hello\"", "42", "null", "true", "[{\"k\": 1}]"),
                    "body"),
            g -> new Bad("POST", Routes.RECOMMEND, "", "body"),
            g -> {
                String v = g.pick("\"x\"", "1.5", "true", "{}", "[]", "\"10\"");
                return new Bad("POST", Routes.RECOMMEND, "{\"history\": " + g.history(3) + ", \"k\": " + v + "}", "k");
            },
            g -> new Bad("POST", Routes.RECOMMEND, "{\"history\": " + g.history(3) + "}", "k"),
            g -> new Bad("POST", Routes.RECOMMEND, "{\"history\": " + g.history(3) + ", \"k\": "
                    + g.pick("0", "-1", "-1000", "1001", "2147483647", "99999999999") + "}", "k"),
            g -> new Bad("POST", Routes.RECOMMEND, g.valid("\"beamWidth\": " + g.pick("0", "-5", "1.5", "\"wide\"",
                    "100000", "true")), "beamWidth"),
            g -> new Bad("POST", Routes.RECOMMEND, "{\"history\": " + g.history(3) + ", \"k\": 50, \"beamWidth\": "
                    + (1 + g.random.nextInt(49)) + "}", "beamWidth"),
            g -> new Bad("POST", Routes.RECOMMEND, "{\"history\": [], \"k\": 5}", "history"),
            g -> new Bad("POST", Routes.RECOMMEND, "{\"history\": " + g.pick("\"i1\"", "5", "{}", "null", "true")
                    + ", \"k\": 5}", "history"),
            g -> new Bad("POST", Routes.RECOMMEND, "{\"k\": 5}", "history"),
            g -> new Bad("POST", Routes.RECOMMEND, "{\"history\": [\"no-such-1\", \"no-such-2\"], \"k\": 5}",
                    "history"),
            g -> new Bad("POST", Routes.RECOMMEND, "{\"history\": [\"" + g.item() + "\", "
                    + g.pick("1.5", "true", "null", "[]", "\"\"", "{\"timestamp\": 5}") + "], \"k\": 5}", "history[1]"),
            g -> new Bad("POST", Routes.RECOMMEND, "{\"history\": [{\"item\": \"" + g.item() + "\", \"timestamp\": "
                    + g.pick("\"yesterday\"", "1.5", "true", "[]", "1e40") + "}], \"k\": 5}", "history[0].timestamp"),
            g -> new Bad("POST", Routes.RECOMMEND, "{\"history\": [{\"item\": \"" + g.item() + "\", \"timestamp\": 5},"
                    + " {\"item\": \"" + g.item() + "\"}], \"k\": 5}", "history[1].timestamp"),
            g -> new Bad("POST", Routes.RECOMMEND, "{\"history\": [{\"item\": \"" + g.item() + "\", \"feedback\": "
                    + g.pick("5", "\"good\"", "[]", "true") + "}], \"k\": 5}", "history[0].feedback"),
            g -> new Bad("POST", Routes.RECOMMEND, "{\"history\": [{\"item\": \"" + g.item()
                    + "\", \"feedback\": {\"like\": " + g.pick("\"yes\"", "true", "[]", "{}", "null") + "}}], \"k\": 5}",
                    "history[0].feedback.like"),
            g -> new Bad("POST", Routes.RECOMMEND, "{\"history\": [{\"item\": \"" + g.item()
                    + "\", \"feedback\": {\"" + g.pick("stars", "hearts", "RATING", "") + "\": 1}}], \"k\": 5}",
                    "history[0].feedback."),
            g -> new Bad("POST", Routes.RECOMMEND, "{\"history\": [{\"item\": \"" + g.item()
                    + "\", \"feedback\": {\"like\": " + g.pick("2", "-1", "0.5") + "}}], \"k\": 5}",
                    "history[0].feedback.like"),
            g -> new Bad("POST", Routes.RECOMMEND, "{\"history\": [{\"timestamp\": 5}], \"k\": 5}", "history[0].item"),
            g -> new Bad("POST", Routes.RECOMMEND, "{\"history\": [{\"item\": \"" + g.item() + "\", \"extra\": 1}], "
                    + "\"k\": 5}", "history[0].extra"),
            g -> new Bad("POST", Routes.RECOMMEND, g.valid("\"" + g.pick("K", "beam", "histroy", "limit", "x") + "\": 1"),
                    "K|beam|histroy|limit|x"),
            g -> new Bad("POST", Routes.RECOMMEND, g.valid("\"userFeatures\": " + g.pick("[]", "\"a\"", "5", "true")),
                    "userFeatures"),
            g -> new Bad("POST", Routes.RECOMMEND, g.valid("\"userFeatures\": {\"" + g.pick("shoe_size", "AGE", "zz")
                    + "\": \"x\"}"), "userFeatures."),
            g -> new Bad("POST", Routes.RECOMMEND, g.valid("\"userFeatures\": {\"age\": " + g.pick("[]", "{}", "1.5",
                    "true") + "}"), "userFeatures.age"),
            g -> new Bad("POST", Routes.RECOMMEND, g.valid("\"exclude\": " + g.pick("\"i1\"", "5", "{}", "true")),
                    "exclude"),
            g -> new Bad("POST", Routes.RECOMMEND, g.valid("\"exclude\": [" + g.pick("1.5", "null", "[]", "\"\"") + "]"),
                    "exclude[0]"),
            g -> new Bad("POST", Routes.RECOMMEND, g.valid("\"keepHistory\": " + g.pick("\"yes\"", "1", "[]")),
                    "keepHistory"),
            g -> new Bad("POST", Routes.RECOMMEND, g.valid("\"user\": " + g.pick("[]", "{}", "1.5", "true")), "user"),
            g -> new Bad("POST", Routes.RECOMMEND, "{\"history\": " + g.history(10_001) + ", \"k\": 5}", "history"),
            g -> new Bad("POST", Routes.RECOMMEND, g.oversized(), "body"),
            g -> new Bad(g.pick("GET", "PUT", "DELETE", "PATCH"), Routes.RECOMMEND, null, "method"),
            g -> new Bad(g.pick("POST", "PUT", "DELETE"), g.pick(Routes.HEALTH, Routes.METRICS, Routes.MODEL), "{}",
                    "method"),
            g -> new Bad(g.pick("GET", "POST"), g.pick("/", "/v2/recommend", "/v1/recommend/", "/admin", "/v1/items/1",
                    "/favicon.ico"), "{}", "path"),
            g -> new Bad("POST", Routes.ITEMS, g.pick("{}", "{\"sid\": [1, 2, 3]}"), "id"),
            g -> new Bad("POST", Routes.ITEMS, "{\"id\": \"new-" + g.random.nextInt(1000) + "\", \"sid\": "
                    + g.pick("[]", "\"1,2,3\"", "5", "{}") + "}", "sid"),
            g -> new Bad("POST", Routes.ITEMS, "{\"id\": \"new-" + g.random.nextInt(1000) + "\", \"sid\": [1, "
                    + g.pick("1.5", "\"a\"", "null", "[]") + ", 2]}", "sid[1]"),
            g -> new Bad("POST", Routes.ITEMS, "{\"id\": \"new-" + g.random.nextInt(1000) + "\", \"sid\": ["
                    + g.pick("-1, 0, 0", "1, 2", "1, 2, 3, 4", "100000, 0, 0") + "]}", "sid"),
            g -> new Bad("POST", Routes.ITEMS, "{\"id\": \"new-" + g.random.nextInt(1000)
                    + "\", \"features\": {\"texts\": {\"title\": \"a new thing\"}}}", "features"),
            g -> new Bad("POST", Routes.ITEMS, "{\"id\": \"" + g.item() + "\", \"sid\": [0, 0, 0]}", "id"));

    private String pick(String... options) {
        return options[random.nextInt(options.length)];
    }

    private String garbage() {
        StringBuilder b = new StringBuilder();
        int n = 1 + random.nextInt(60);
        for (int i = 0; i < n; i++) {
            b.append((char) (random.nextBoolean() ? 33 + random.nextInt(94) : random.nextInt(0xD7FF)));
        }
        // An object whose first key is never closed: random text after it cannot complete valid JSON.
        return "{\"" + b;
    }

    private String oversized() {
        StringBuilder b = new StringBuilder(maxBody + 64);
        b.append("{\"history\": [");
        while (b.length() <= maxBody) {
            b.append('"').append(item()).append("\",");
        }
        b.append("\"").append(item()).append("\"], \"k\": 5}");
        return b.toString();
    }

    /** {@code n} bad requests, cycling over the kinds in random order. */
    List<Bad> generate(int n) {
        List<Bad> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(kinds.get(random.nextInt(kinds.size())).apply(this));
        }
        return out;
    }

    int kindCount() {
        return kinds.size();
    }
}
