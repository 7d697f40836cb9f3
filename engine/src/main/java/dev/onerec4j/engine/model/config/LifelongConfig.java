package dev.onerec4j.engine.model.config;

/**
 * The lifelong pathway: interactions older than the short-term window (up to {@code length} of them) are
 * clustered by hierarchical k-means over item embeddings until no cluster has more than {@code clusterThreshold}
 * items; each cluster is represented by its item closest to the centre (sparse features) with the cluster's mean
 * continuous features; a QFormer with {@code queries} learnable queries and {@code blocks} blocks summarises the
 * representatives. Compression runs at history checkpoints every {@code stride} interactions (what a production
 * system recomputes offline), so it is cached per user and checkpoint.
 */
public final class LifelongConfig {

    /** Oldest interactions read (0 switches the pathway off). */
    public int length = 0;
    /** A cluster with at most this many items is not split further. */
    public int clusterThreshold = 8;
    /** At most this many representatives (the most recent clusters are kept). */
    public int maxRepresentatives = 32;
    /** Learnable QFormer queries: the number of tokens the pathway contributes. */
    public int queries = 4;
    /** QFormer blocks (cross-attention to the representatives, then a feed-forward network). */
    public int blocks = 1;
    /** Compression is recomputed every {@code stride} interactions of a user's history. */
    public int stride = 16;

    public boolean enabled() {
        return length > 0;
    }

    void validate(ConfigErrors errors) {
        String p = "model.pathways.lifelong.";
        errors.require(length >= 0, p + "length", "must be >= 0, got " + length);
        if (length == 0) {
            return;
        }
        errors.require(clusterThreshold >= 1, p + "clusterThreshold", "must be >= 1, got " + clusterThreshold);
        errors.require(maxRepresentatives >= 1, p + "maxRepresentatives", "must be >= 1, got " + maxRepresentatives);
        errors.require(queries >= 1, p + "queries", "must be >= 1, got " + queries);
        errors.require(blocks >= 1, p + "blocks", "must be >= 1, got " + blocks);
        errors.require(stride >= 1, p + "stride", "must be >= 1, got " + stride);
    }
}
