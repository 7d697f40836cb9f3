package dev.onerec4j.engine.model.config;

/**
 * Evaluation: trie-constrained beam search with {@code beamWidth} beams per user producing the top {@code k}
 * items; users in batches of {@code batchSize}; items of the user's input history excluded from the ranking
 * unless {@code keepHistory}.
 */
public final class EvalConfig {

    public int beamWidth = 20;
    public int k = 10;
    public int batchSize = 64;
    public boolean keepHistory = false;

    void validate(ConfigErrors errors) {
        errors.require(k >= 1, "eval.k", "must be >= 1, got " + k);
        errors.require(beamWidth >= k, "eval.beamWidth", "must be >= eval.k (" + k + "), got " + beamWidth);
        errors.require(batchSize >= 1, "eval.batchSize", "must be >= 1, got " + batchSize);
    }
}
