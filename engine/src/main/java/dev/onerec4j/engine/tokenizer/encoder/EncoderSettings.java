package dev.onerec4j.engine.tokenizer.encoder;

import java.util.Locale;

/**
 * Shape and training of the aligned item encoder.
 *
 * @param kind          {@link Kind#POOLED} (masked mean of token embeddings, then a residual SwiGLU block) or
 *                      {@link Kind#QFORMER} (learnable queries cross-attending to the token embeddings)
 * @param tokenDim      token embedding width (also the QFormer width)
 * @param outDim        item embedding width (what the quantiser sees)
 * @param queries       QFormer queries
 * @param layers        QFormer layers
 * @param heads         QFormer attention heads
 * @param epochs        passes over the training pairs
 * @param maxSteps      cap on optimiser steps (0 = none): bounds the time on very large pair sets
 * @param batchSize     pairs per step; the other pairs of a batch are the negatives
 * @param learningRate  peak AdamW learning rate (warmup then cosine decay)
 * @param temperature   InfoNCE temperature
 * @param captionWeight weight of the auxiliary loss that predicts the item's own content tokens
 * @param seed          initialisation and batch order
 */
public record EncoderSettings(Kind kind, int tokenDim, int outDim, int queries, int layers, int heads, int epochs,
                              int maxSteps, int batchSize, double learningRate, double temperature,
                              double captionWeight, long seed) {

    /** The encoder architecture. */
    public enum Kind {
        POOLED, QFORMER;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Kind parse(String s) {
            for (Kind k : values()) {
                if (k.id().equals(s)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("unknown encoder '" + s + "'; expected pooled or qformer");
        }
    }

    public EncoderSettings {
        if (tokenDim < 1 || outDim < 1 || queries < 1 || layers < 1 || heads < 1 || tokenDim % heads != 0) {
            throw new IllegalArgumentException("encoder: need positive sizes and tokenDim divisible by heads");
        }
        if (epochs < 0 || maxSteps < 0 || batchSize < 2 || !(learningRate > 0) || !(temperature > 0)
                || !(captionWeight >= 0)) {
            throw new IllegalArgumentException("encoder: need epochs >= 0, maxSteps >= 0, batchSize >= 2, "
                    + "learningRate > 0, temperature > 0, captionWeight >= 0");
        }
    }

    public static EncoderSettings defaults(long seed) {
        return new EncoderSettings(Kind.POOLED, 64, 64, 4, 1, 4, 3, 3000, 512, 3e-3, 0.1, 0.3, seed);
    }

    public EncoderSettings withKind(Kind k) {
        return new EncoderSettings(k, tokenDim, outDim, queries, layers, heads, epochs, maxSteps, batchSize,
                learningRate, temperature, captionWeight, seed);
    }

    public EncoderSettings withEpochs(int e) {
        return new EncoderSettings(kind, tokenDim, outDim, queries, layers, heads, e, maxSteps, batchSize,
                learningRate, temperature, captionWeight, seed);
    }

    public EncoderSettings withDims(int token, int out) {
        return new EncoderSettings(kind, token, out, queries, layers, heads, epochs, maxSteps, batchSize,
                learningRate, temperature, captionWeight, seed);
    }

    public EncoderSettings withCaptionWeight(double w) {
        return new EncoderSettings(kind, tokenDim, outDim, queries, layers, heads, epochs, maxSteps, batchSize,
                learningRate, temperature, w, seed);
    }

    public EncoderSettings withBatchSize(int b) {
        return new EncoderSettings(kind, tokenDim, outDim, queries, layers, heads, epochs, maxSteps, b,
                learningRate, temperature, captionWeight, seed);
    }
}
