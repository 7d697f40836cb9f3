package dev.onerec4j.engine.align;

import dev.onerec4j.engine.UserException;

import java.util.Locale;

/** How the policy generates a user's group of items for RL (report section 4.3.1, table 8). */
public enum Sampling {
    /** Beam search of width G: the G most likely distinct items (OneRec's choice). */
    BEAM,
    /** G ancestral samples, each token drawn from the top-k most likely allowed tokens (renormalised). */
    TOPK;

    public static Sampling parse(String s) {
        for (Sampling v : values()) {
            if (v.name().equalsIgnoreCase(s == null ? "" : s.strip())) {
                return v;
            }
        }
        throw new UserException("unknown sampling '" + s + "'; expected beam or topk");
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
