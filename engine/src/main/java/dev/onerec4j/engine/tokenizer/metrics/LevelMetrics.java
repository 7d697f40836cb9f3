package dev.onerec4j.engine.tokenizer.metrics;

/**
 * Quality of one level of semantic IDs (OneRec report, section 4.4).
 *
 * @param level              1-based level
 * @param codebookSize       codes at this level
 * @param reconstructionLoss reconstruction from the first {@code level} levels:
 *                           {@code sum_i |x_i - x^_i|^2 / sum_i |x_i|^2}, the share of the vectors' energy the
 *                           codes do not explain (for unit vectors, the mean squared error)
 * @param usedCodes          codes that at least one item uses at this level
 * @param utilization        {@code usedCodes / codebookSize}
 * @param entropy            Shannon entropy of the token distribution at this level, in nats
 * @param maxEntropy         {@code ln(codebookSize)}, the entropy of a uniform distribution
 */
public record LevelMetrics(int level, int codebookSize, double reconstructionLoss, int usedCodes, double utilization,
                           double entropy, double maxEntropy) {
}
