package dev.onerec4j.engine.model.config;

/**
 * The SASRec baseline (Kang and McAuley 2018, trained with full-catalogue softmax cross-entropy): item-id
 * embeddings, learned positions, {@code layers} causal transformer blocks over the last {@code maxLength} items.
 */
public final class SasRecConfig {

    public int dim = 64;
    public int heads = 1;
    public int layers = 2;
    public int ffnHidden = 64;
    public int maxLength = 50;
    public double dropout = 0.5;

    void validate(ConfigErrors errors) {
        errors.require(dim >= 1, "sasrec.dim", "must be >= 1, got " + dim);
        errors.require(heads >= 1 && dim % heads == 0, "sasrec.heads", "must divide sasrec.dim (" + dim + "), got " + heads);
        errors.require(layers >= 1, "sasrec.layers", "must be >= 1, got " + layers);
        errors.require(ffnHidden >= 1, "sasrec.ffnHidden", "must be >= 1, got " + ffnHidden);
        errors.require(maxLength >= 2, "sasrec.maxLength", "must be >= 2, got " + maxLength);
        errors.require(dropout >= 0 && dropout < 1, "sasrec.dropout", "must be in [0, 1), got " + dropout);
    }
}
