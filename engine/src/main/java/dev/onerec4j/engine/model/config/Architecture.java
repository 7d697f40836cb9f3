package dev.onerec4j.engine.model.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import dev.onerec4j.engine.UserException;

/** The two OneRec model families. */
public enum Architecture {
    /** OneRec V1: a bidirectional encoder over the pathways, a decoder with cross-attention (report section 2.2-2.3). */
    V1("v1"),
    /** OneRec V2: the lazy decoder-only model; the context becomes shared key/values once, with no encoder. */
    V2("v2");

    private final String id;

    Architecture(String id) {
        this.id = id;
    }

    @JsonValue
    public String id() {
        return id;
    }

    @JsonCreator
    public static Architecture parse(String name) {
        for (Architecture a : values()) {
            if (a.id.equalsIgnoreCase(name)) {
                return a;
            }
        }
        throw new UserException("unknown architecture '" + name + "'; expected v1 or v2");
    }
}
