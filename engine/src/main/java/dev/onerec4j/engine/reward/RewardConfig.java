package dev.onerec4j.engine.reward;

import dev.onerec4j.engine.UserException;

/**
 * The reward model's shape and training schedule (saved in {@code reward.json}).
 */
public final class RewardConfig {

    /** Width of item, user and history representations. */
    public int dim = 32;
    /** Width of each tower's hidden state and of the fusion layer. */
    public int hidden = 32;
    /** Most recent interactions the user representation reads. */
    public int history = 20;
    /** Content tokens per item (the first ones) in its representation. */
    public int contentTokens = 8;
    /** Whether users also get an id embedding. */
    public boolean userIdEmbedding = false;
    public int batchSize = 256;
    public double epochs = 8;
    public double lr = 1e-2;
    public int warmupSteps = 20;
    public double weightDecay = 1e-4;
    public double clipNorm = 1.0;
    /** Weight of the towers' losses against the P-Score's. */
    public double towerWeight = 1.0;
    public long seed = 1;

    public RewardConfig validate() {
        require(dim >= 1, "--dim must be >= 1, got " + dim);
        require(hidden >= 1, "--hidden must be >= 1, got " + hidden);
        require(history >= 1, "--history must be >= 1, got " + history);
        require(contentTokens >= 0, "--content-tokens must be >= 0, got " + contentTokens);
        require(batchSize >= 1, "--batch-size must be >= 1, got " + batchSize);
        require(epochs > 0, "--epochs must be > 0, got " + epochs);
        require(lr > 0, "--lr must be > 0, got " + lr);
        require(warmupSteps >= 0, "warm-up steps must be >= 0, got " + warmupSteps);
        require(weightDecay >= 0, "weight decay must be >= 0, got " + weightDecay);
        require(clipNorm > 0, "clip norm must be > 0, got " + clipNorm);
        require(towerWeight >= 0, "tower weight must be >= 0, got " + towerWeight);
        return this;
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new UserException("reward model: " + message);
        }
    }
}
