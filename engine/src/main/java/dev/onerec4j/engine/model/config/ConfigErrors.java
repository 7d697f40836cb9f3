package dev.onerec4j.engine.model.config;

import dev.onerec4j.engine.UserException;

/** Collects the first violated constraint of a configuration and reports it as one line naming the field. */
final class ConfigErrors {

    private final String source;
    private String first;

    ConfigErrors(String source) {
        this.source = source;
    }

    void require(boolean ok, String field, String problem) {
        if (!ok && first == null) {
            first = "field '" + field + "' " + problem;
        }
    }

    void throwIfAny() {
        if (first != null) {
            throw new UserException("config " + source + ": " + first);
        }
    }
}
