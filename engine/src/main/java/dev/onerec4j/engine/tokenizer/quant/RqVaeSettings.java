package dev.onerec4j.engine.tokenizer.quant;

/**
 * The RQ-VAE baseline (TIGER-style residual VQ-VAE).
 *
 * @param hidden       width of the encoder's and decoder's hidden layer
 * @param latent       latent (codebook) width
 * @param epochs       passes over the items
 * @param batchSize    items per step
 * @param learningRate AdamW learning rate (warmup then cosine decay)
 * @param beta         commitment weight: {@code |sg(q) - r|^2} pulls the encoder towards its codewords
 * @param seed         initialisation, k-means initialisation of the codebooks and batch order
 */
public record RqVaeSettings(int hidden, int latent, int epochs, int batchSize, double learningRate, double beta, long seed) {

    public RqVaeSettings {
        if (hidden < 1 || latent < 1 || epochs < 0 || batchSize < 1 || !(learningRate > 0) || !(beta >= 0)) {
            throw new IllegalArgumentException("rq-vae: need positive sizes, epochs >= 0, learningRate > 0, beta >= 0");
        }
    }

    public static RqVaeSettings defaults(int inputDim, long seed) {
        return new RqVaeSettings(2 * inputDim, Math.max(8, inputDim / 2), 100, 512, 3e-3, 0.25, seed);
    }

    public RqVaeSettings withEpochs(int e) {
        return new RqVaeSettings(hidden, latent, e, batchSize, learningRate, beta, seed);
    }
}
