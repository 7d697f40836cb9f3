package dev.onerec4j.engine.model.config;

/**
 * Optimisation: AdamW with linear warm-up and cosine decay, global-norm clipping, gradient accumulation over
 * {@code accumulation} micro-batches of {@code batchSize} examples, optional BF16 matrix products with FP32
 * master weights, periodic checkpoints, validation and early stopping on validation Recall@10.
 */
public final class TrainConfig {

    public int batchSize = 256;
    public int accumulation = 1;
    public double lr = 2e-3;
    public int warmupSteps = 200;
    public double minLrRatio = 0.05;
    public double epochs = 10;
    /** Optimizer steps; 0 = derived from {@code epochs}. */
    public long maxSteps = 0;
    public double weightDecay = 0.01;
    public double clipNorm = 1.0;
    public double labelSmoothing = 0.0;
    public boolean bf16 = false;
    public double beta1 = 0.9;
    public double beta2 = 0.98;
    /** Steps between checkpoints (0 = only at the end and at each validation). */
    public int checkpointEvery = 500;
    public int keepCheckpoints = 2;
    /** Steps between validations (0 = once per epoch). */
    public int evalEvery = 0;
    /** Validation users sampled (0 = all). */
    public int evalUsers = 2000;
    /** Validations without improvement before stopping (0 = never stop early). */
    public int patience = 3;
    public int logEvery = 20;
    public long seed = 1;

    void validate(ConfigErrors errors) {
        errors.require(batchSize >= 1, "train.batchSize", "must be >= 1, got " + batchSize);
        errors.require(accumulation >= 1, "train.accumulation", "must be >= 1, got " + accumulation);
        errors.require(lr > 0, "train.lr", "must be > 0, got " + lr);
        errors.require(warmupSteps >= 0, "train.warmupSteps", "must be >= 0, got " + warmupSteps);
        errors.require(minLrRatio >= 0 && minLrRatio <= 1, "train.minLrRatio", "must be in [0, 1], got " + minLrRatio);
        errors.require(epochs > 0 || maxSteps > 0, "train.epochs", "must be > 0 unless train.maxSteps is set, got " + epochs);
        errors.require(maxSteps >= 0, "train.maxSteps", "must be >= 0, got " + maxSteps);
        errors.require(weightDecay >= 0, "train.weightDecay", "must be >= 0, got " + weightDecay);
        errors.require(clipNorm > 0, "train.clipNorm", "must be > 0, got " + clipNorm);
        errors.require(labelSmoothing >= 0 && labelSmoothing < 1, "train.labelSmoothing",
                "must be in [0, 1), got " + labelSmoothing);
        errors.require(beta1 >= 0 && beta1 < 1, "train.beta1", "must be in [0, 1), got " + beta1);
        errors.require(beta2 >= 0 && beta2 < 1, "train.beta2", "must be in [0, 1), got " + beta2);
        errors.require(checkpointEvery >= 0, "train.checkpointEvery", "must be >= 0, got " + checkpointEvery);
        errors.require(keepCheckpoints >= 1, "train.keepCheckpoints", "must be >= 1, got " + keepCheckpoints);
        errors.require(evalEvery >= 0, "train.evalEvery", "must be >= 0, got " + evalEvery);
        errors.require(evalUsers >= 0, "train.evalUsers", "must be >= 0, got " + evalUsers);
        errors.require(patience >= 0, "train.patience", "must be >= 0, got " + patience);
        errors.require(logEvery >= 1, "train.logEvery", "must be >= 1, got " + logEvery);
    }
}
