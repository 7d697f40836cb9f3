package dev.onerec4j.engine.serve;

/** The recommender cannot take the request now: its queue is full or it is shutting down. Retry later. */
public final class UnavailableException extends RuntimeException {

    public UnavailableException(String message) {
        super(message);
    }
}
