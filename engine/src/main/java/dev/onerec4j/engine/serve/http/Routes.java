package dev.onerec4j.engine.serve.http;

import java.util.List;

/** The paths of the HTTP API, and the metric label of each (every unknown path shares one label). */
final class Routes {

    static final String RECOMMEND = "/v1/recommend";
    static final String ITEMS = "/v1/items";
    static final String MODEL = "/v1/model";
    static final String HEALTH = "/healthz";
    static final String METRICS = "/metrics";
    static final String RELOAD = "/admin/reload";
    static final List<String> ALL = List.of(RECOMMEND, ITEMS, MODEL, HEALTH, METRICS, RELOAD);

    private Routes() {
    }

    /** The metric label of a request path: the path itself for the API's paths, {@code other} otherwise. */
    static String endpoint(String path) {
        return ALL.contains(path) ? path : "other";
    }
}
