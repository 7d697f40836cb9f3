package dev.onerec4j.engine.serve;

/** A request the model cannot answer as asked; {@link #field()} names the offending field (JSON path style). */
public final class InvalidRequestException extends RuntimeException {

    private final String field;

    public InvalidRequestException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    public String field() {
        return field;
    }

    /** The message without the field prefix. */
    public String problem() {
        return getMessage().substring(field.length() + 2);
    }
}
