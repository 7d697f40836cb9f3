package dev.onerec4j.engine;

/**
 * An error the user can fix (a bad file, flag, config or request). The CLI prints its message on one line,
 * without a stack trace, and exits with status 2; the HTTP server turns it into a 4xx reply.
 */
public class UserException extends RuntimeException {

    public UserException(String message) {
        super(message);
    }

    public UserException(String message, Throwable cause) {
        super(message, cause);
    }
}
