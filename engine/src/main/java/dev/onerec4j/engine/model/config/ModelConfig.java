package dev.onerec4j.engine.model.config;

/**
 * The shape of a OneRec model. Encoder fields apply to V1; {@code kvLayers} and {@code kvSplit} to V2's context
 * processor ({@code L_kv} key/value sets, each shared by a group of {@code decoderLayers / kvLayers} consecutive
 * decoder layers; {@code S_kv = 2} gives keys and values their own slice of the context, {@code S_kv = 1} derives
 * both from one slice through separate normalisations).
 */
public final class ModelConfig {

    public Architecture architecture = Architecture.V2;
    public int dim = 64;
    public int heads = 4;
    /** Key/value heads (grouped-query attention); must divide {@code heads}. */
    public int kvHeads = 4;
    public int encoderLayers = 2;
    public int decoderLayers = 2;
    public int ffnHidden = 128;
    public int kvLayers = 1;
    public int kvSplit = 1;
    /**
     * V2: a per-token SwiGLU network (with a residual, width {@code ffnHidden}) in the context processor before the
     * key/value projection, so keys and values are non-linear functions of each context token's features; it mixes
     * nothing across tokens.
     */
    public boolean contextMlp = true;
    public MoeConfig moe = new MoeConfig();
    /** Output heads share the SID token embedding tables (one per level) instead of their own weights. */
    public boolean tiedHeads = false;
    /** Items in the input carry an item-id embedding besides their summed SID token embeddings. */
    public boolean itemIdEmbedding = true;
    /** The user static pathway includes a user-id embedding. */
    public boolean userIdEmbedding = false;
    public double dropout = 0.1;
    /** Buckets of the log-scaled time gap between an input interaction and the target. */
    public int timeBuckets = 24;
    public double normEps = 1e-6;
    public PathwayConfig pathways = new PathwayConfig();

    void validate(ConfigErrors errors) {
        errors.require(dim >= 1, "model.dim", "must be >= 1, got " + dim);
        errors.require(heads >= 1, "model.heads", "must be >= 1, got " + heads);
        errors.require(heads >= 1 && dim % heads == 0, "model.heads",
                "must divide model.dim (" + dim + "), got " + heads);
        errors.require(kvHeads >= 1 && heads % kvHeads == 0, "model.kvHeads",
                "must divide model.heads (" + heads + "), got " + kvHeads);
        errors.require(decoderLayers >= 1, "model.decoderLayers", "must be >= 1, got " + decoderLayers);
        errors.require(ffnHidden >= 1, "model.ffnHidden", "must be >= 1, got " + ffnHidden);
        if (architecture == Architecture.V1) {
            errors.require(encoderLayers >= 1, "model.encoderLayers", "must be >= 1 for a V1 model, got " + encoderLayers);
        } else {
            errors.require(kvLayers >= 1 && kvLayers <= decoderLayers, "model.kvLayers",
                    "must be between 1 and model.decoderLayers (" + decoderLayers + "), got " + kvLayers);
            errors.require(kvSplit == 1 || kvSplit == 2, "model.kvSplit", "must be 1 or 2, got " + kvSplit);
        }
        errors.require(dropout >= 0 && dropout < 1, "model.dropout", "must be in [0, 1), got " + dropout);
        errors.require(timeBuckets >= 1, "model.timeBuckets", "must be >= 1, got " + timeBuckets);
        errors.require(normEps > 0, "model.normEps", "must be > 0, got " + normEps);
        moe.validate(errors, ffnHidden);
        pathways.validate(errors);
    }

    /** Attention head width. */
    public int headDim() {
        return dim / heads;
    }

    /** The decoder layer's key/value set index: {@code floor(l * L_kv / N_layer)} (V2). */
    public int kvSetOf(int layer) {
        return layer * kvLayers / decoderLayers;
    }
}
