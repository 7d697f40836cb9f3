package dev.onerec4j.engine.sample;

import dev.onerec4j.engine.tokenizer.SemanticIds;

import java.util.SplittableRandom;

/**
 * Item embeddings the lifelong pathway clusters histories with ({@code [items, dim]}, row-major). The
 * tokenizer's aligned item embeddings are the intended source; {@link #fromSemanticIds} gives a stand-in with the
 * same geometry as the IDs (items sharing a longer SID prefix are closer): the sum over levels of a fixed random
 * Gaussian vector per (level, token), weighted 1, 1/2, 1/4, ... by level.
 */
public final class ItemVectors {

    private final int dim;
    private final float[] data;

    public ItemVectors(int dim, float[] data) {
        if (dim <= 0 || data.length % dim != 0) {
            throw new IllegalArgumentException("item vectors: " + data.length + " values are not rows of " + dim);
        }
        this.dim = dim;
        this.data = data;
    }

    public static ItemVectors fromSemanticIds(SemanticIds sids, int dim, long seed) {
        int levels = sids.levels();
        float[][][] codes = new float[levels][][];
        SplittableRandom r = new SplittableRandom(seed);
        for (int l = 0; l < levels; l++) {
            codes[l] = new float[sids.codebookSize(l)][dim];
            for (float[] row : codes[l]) {
                for (int d = 0; d < dim; d++) {
                    row[d] = (float) gaussian(r);
                }
            }
        }
        int n = sids.itemCount();
        float[] out = new float[n * dim];
        for (int i = 0; i < n; i++) {
            float w = 1f;
            for (int l = 0; l < levels; l++) {
                float[] c = codes[l][sids.token(i, l)];
                for (int d = 0; d < dim; d++) {
                    out[i * dim + d] += w * c[d];
                }
                w *= 0.5f;
            }
        }
        return new ItemVectors(dim, out);
    }

    private static double gaussian(SplittableRandom r) {
        double u1 = 1.0 - r.nextDouble();
        double u2 = r.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
    }

    public int dim() {
        return dim;
    }

    public int count() {
        return data.length / dim;
    }

    /** The row-major values ({@code [items, dim]}), shared, for kernels that read rows in place: never written. */
    float[] values() {
        return data;
    }

    /** Component {@code d} of item {@code item}'s vector. */
    public float get(int item, int d) {
        return data[item * dim + d];
    }
}
