package dev.onerec4j.engine.tokenizer.quant;

import dev.onerec4j.tensors.Tensor;

import java.util.Map;

/**
 * A fitted residual quantiser from item embeddings to codes: vectors go to a latent space (the identity for
 * RQ-Kmeans, an MLP encoder for RQ-VAE), are coded there by greedy residual nearest-codeword search in
 * {@link #codebooks()}, and come back through {@link #fromLatent} (identity, or the RQ-VAE decoder).
 * Thread-safe for reading.
 */
public interface Quantizer {

    /** {@code rq-kmeans} or {@code rq-vae}. */
    String method();

    ResidualCodebooks codebooks();

    /** Width of the item embeddings it codes. */
    int inputDim();

    /** The latent vectors of {@code n} embeddings ({@code [n, inputDim]} to {@code [n, codebooks().dim()]}). */
    float[] toLatent(float[] x, int n);

    /** Embeddings rebuilt from {@code n} latent vectors. */
    float[] fromLatent(float[] z, int n);

    /** Embeddings rebuilt from the first {@code upTo} levels of {@code codes} ({@code [n, levels]}). */
    default float[] reconstruct(int[] codes, int n, int upTo) {
        return fromLatent(codebooks().decodeAll(codes, n, upTo), n);
    }

    /** Everything needed to rebuild it, by name (codebooks as {@code codebook.<level>}). */
    Map<String, Tensor> stateTensors();
}
