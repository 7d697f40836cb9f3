package dev.onerec4j.engine.tokenizer.features;

import java.util.Locale;

/**
 * Whether items get a learned identity token ({@code id:<external id>}) among their encoder inputs. Such a
 * token is a collaborative-only embedding: it is trained on the same item pairs as the rest of the encoder but
 * carries no content, so a cold-start item (which has no identity token yet) is encoded from its content alone.
 */
public enum IdTokens {
    /** Content only. Items without content all encode alike. */
    NONE,
    /** Identity tokens for the items that have no content tokens. */
    MISSING_CONTENT,
    /**
     * Identity tokens for the items whose inputs do not tell them apart: no content, or exactly the same input
     * tokens as another item (e.g. two products with the same brand and categories and no title). The default.
     */
    NOT_UNIQUE,
    /** Identity tokens for every item: a blend of content and a collaborative item embedding. */
    ALL;

    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static IdTokens parse(String s) {
        for (IdTokens t : values()) {
            if (t.id().equals(s)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown id-token policy '" + s
                + "'; expected none, missing-content, not-unique or all");
    }
}
