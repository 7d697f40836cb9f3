package dev.onerec4j.engine.reward;

/**
 * The reward model's inputs for a batch of (user, history position, item) rows, as host arrays. Items are
 * represented once per batch: {@code uniqueItems} lists every item the batch touches (targets and history) and
 * the other arrays index into it.
 *
 * @param size            rows {@code B}
 * @param historyLength   {@code H}, history slots per row (right-aligned, most recent last)
 * @param users           {@code [B]} user indices
 * @param uniqueItems     {@code [U]} distinct item indices
 * @param itemTokens      {@code [U, T]} content token ids of each distinct item (0 where masked)
 * @param tokenMask       {@code [U, T]} 1 for a real token
 * @param targets         {@code [B]} index into {@code uniqueItems} of each row's item
 * @param history         {@code [B, H]} index into {@code uniqueItems} of each history slot (0 where masked)
 * @param historyMask     {@code [B, H]} 1 for a real history interaction
 * @param historyPositive {@code [B, H]} 1 where that interaction was positive feedback
 * @param userCodes       {@code [B, F]} the users' categorical feature codes, offset into one table
 */
public record RewardInputs(int size, int historyLength, int[] users, int[] uniqueItems, int[] itemTokens,
                           float[] tokenMask, int[] targets, int[] history, float[] historyMask,
                           float[] historyPositive, int[] userCodes) {
}
