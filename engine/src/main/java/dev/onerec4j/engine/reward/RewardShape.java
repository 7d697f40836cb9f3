package dev.onerec4j.engine.reward;

/**
 * The sizes a {@link PScoreModel}'s tables are built with: what it was trained on, recorded in {@code reward.json}.
 *
 * @param items           items (rows of the item id table)
 * @param users           users (rows of the user id table, when users get one)
 * @param vocabulary      content tokens (rows of the token table)
 * @param userFeatureRows rows of the concatenated user feature table
 * @param contentTokens   content tokens per item the model reads
 */
public record RewardShape(int items, int users, int vocabulary, int userFeatureRows, int contentTokens) {
}
