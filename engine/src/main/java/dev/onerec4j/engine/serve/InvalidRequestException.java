package dev.onerec4j.engine.serve;

/**
 * A request the model cannot answer as asked; {@link #field()} names the offending field (JSON path style, e.g.
 * {@code history[3].timestamp}). Field and message are shortened when a request echoes something huge into them.
 */
public final class InvalidRequestException extends RuntimeException {

    private static final int MAX_FIELD = 120;
    private static final int MAX_PROBLEM = 400;

    private final String field;
    private final String problem;
    private final boolean conflict;

    public InvalidRequestException(String field, String problem) {
        this(field, problem, false);
    }

    private InvalidRequestException(String field, String problem, boolean conflict) {
        super(clip(field, MAX_FIELD) + ": " + clip(problem, MAX_PROBLEM));
        this.field = clip(field, MAX_FIELD);
        this.problem = clip(problem, MAX_PROBLEM);
        this.conflict = conflict;
    }

    /** A request that clashes with what the model already holds (an item id or semantic ID that is taken). */
    public static InvalidRequestException conflict(String field, String problem) {
        return new InvalidRequestException(field, problem, true);
    }

    /** Whether the request clashes with existing state (HTTP 409) rather than being malformed (HTTP 400). */
    public boolean isConflict() {
        return conflict;
    }

    public String field() {
        return field;
    }

    /** The message without the field prefix. */
    public String problem() {
        return problem;
    }

    private static String clip(String s, int max) {
        if (s == null) {
            return "";
        }
        return s.length() > max ? s.substring(0, max) + "…" : s;
    }
}
