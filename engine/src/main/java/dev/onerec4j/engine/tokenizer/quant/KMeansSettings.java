package dev.onerec4j.engine.tokenizer.quant;

/**
 * Settings of one k-means fit.
 *
 * @param maxIterations      Lloyd iterations at most
 * @param tolerance          stop when an iteration lowers the inertia by less than this fraction
 * @param samplePerCentroid  fit the centroids on at most {@code k * samplePerCentroid} points drawn without
 *                           replacement (0 = always all points), then assign every point; the centroids are
 *                           refined by one pass over all points (the same trade-off as Faiss's
 *                           {@code max_points_per_centroid})
 * @param capacityFactor     0 = plain nearest-centroid assignment; a value {@code >= 1} turns on the balanced
 *                           assignment, where no centroid takes more than {@code ceil(capacityFactor * n / k)}
 *                           points
 * @param balanceCandidates  nearest centroids a point tries before the balanced assignment falls back to a full
 *                           scan for it
 */
public record KMeansSettings(int maxIterations, double tolerance, int samplePerCentroid, double capacityFactor,
                             int balanceCandidates) {

    public KMeansSettings {
        if (maxIterations < 1) {
            throw new IllegalArgumentException("k-means: maxIterations must be >= 1, got " + maxIterations);
        }
        if (!(tolerance >= 0)) {
            throw new IllegalArgumentException("k-means: tolerance must be >= 0, got " + tolerance);
        }
        if (samplePerCentroid < 0) {
            throw new IllegalArgumentException("k-means: samplePerCentroid must be >= 0, got " + samplePerCentroid);
        }
        if (capacityFactor != 0 && !(capacityFactor >= 1)) {
            throw new IllegalArgumentException("k-means: capacityFactor must be 0 (off) or >= 1, got " + capacityFactor);
        }
        if (balanceCandidates < 1) {
            throw new IllegalArgumentException("k-means: balanceCandidates must be >= 1, got " + balanceCandidates);
        }
    }

    /** 25 iterations, tolerance 1e-4, 256 sampled points per centroid, unconstrained assignment. */
    public static KMeansSettings defaults() {
        return new KMeansSettings(25, 1e-4, 256, 0, 8);
    }

    public boolean balanced() {
        return capacityFactor > 0;
    }

    /** The same settings with the balanced assignment at {@code factor} (0 = off). */
    public KMeansSettings withCapacityFactor(double factor) {
        return new KMeansSettings(maxIterations, tolerance, samplePerCentroid, factor, balanceCandidates);
    }

    public KMeansSettings withMaxIterations(int iterations) {
        return new KMeansSettings(iterations, tolerance, samplePerCentroid, capacityFactor, balanceCandidates);
    }

    public KMeansSettings withSamplePerCentroid(int perCentroid) {
        return new KMeansSettings(maxIterations, tolerance, perCentroid, capacityFactor, balanceCandidates);
    }
}
