package dev.onerec4j.engine.eval;

/** Produces ranked item lists for (user, target position) requests; thread-safe. */
public interface Ranker {

    /**
     * The top {@code k} items (best first; possibly fewer) for each user {@code users[i]} given their history
     * before position {@code positions[i]}; with {@code excludeHistory} no item of that history is returned.
     * Called with gradients off, inside the caller's memory scope.
     */
    int[][] rank(int[] users, int[] positions, int k, boolean excludeHistory);

    /** A short description for reports (model kind and decoding). */
    String describe();
}
