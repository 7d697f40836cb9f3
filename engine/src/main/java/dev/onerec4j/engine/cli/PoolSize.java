package dev.onerec4j.engine.cli;

import dev.onerec4j.engine.UserException;
import dev.onerec4j.kernels.Parallel;

/**
 * Applies a {@code --threads} option to the worker pool. The pool is sized once, when the kernels first use it,
 * from the {@code onerec4j.threads} system property; a command sets that property before touching any kernel.
 */
final class PoolSize {

    private PoolSize() {
    }

    /** Sets the pool size if {@code requested} is given, and returns the size the pool actually has. */
    static int configure(Integer requested, String command) {
        if (requested != null) {
            if (requested < 1) {
                throw new UserException(command + ": --threads must be at least 1, got " + requested);
            }
            System.setProperty("onerec4j.threads", Integer.toString(requested));
        }
        int actual = Parallel.threads();
        if (requested != null && actual != requested) {
            throw new UserException(command + ": --threads " + requested + " cannot be applied: the worker pool "
                    + "already runs " + actual + " threads (start the JVM with -Donerec4j.threads=" + requested + ")");
        }
        return actual;
    }
}
