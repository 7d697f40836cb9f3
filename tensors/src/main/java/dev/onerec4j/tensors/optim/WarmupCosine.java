package dev.onerec4j.tensors.optim;

/**
 * Learning rate with linear warm-up from 0 to {@code peak} over {@code warmup} steps, then cosine decay to
 * {@code peak * minRatio} at {@code total} steps (held there afterwards).
 */
public record WarmupCosine(double peak, long warmup, long total, double minRatio) {

    public WarmupCosine {
        if (peak <= 0 || warmup < 0 || total <= 0 || minRatio < 0 || minRatio > 1) {
            throw new IllegalArgumentException("learning-rate schedule: need peak > 0, warmup >= 0, total > 0, "
                    + "0 <= minRatio <= 1; got peak=" + peak + ", warmup=" + warmup + ", total=" + total
                    + ", minRatio=" + minRatio);
        }
    }

    /** The learning rate for step {@code step} (0-based: the first update uses step 0). */
    public double at(long step) {
        if (step < warmup) {
            return peak * (step + 1) / warmup;
        }
        long decaySteps = Math.max(1, total - warmup);
        double progress = Math.min(1.0, (double) (step - warmup) / decaySteps);
        double cosine = 0.5 * (1 + Math.cos(Math.PI * progress));
        return peak * (minRatio + (1 - minRatio) * cosine);
    }
}
