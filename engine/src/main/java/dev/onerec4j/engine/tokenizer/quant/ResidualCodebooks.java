package dev.onerec4j.engine.tokenizer.quant;

import dev.onerec4j.kernels.Parallel;

import java.util.Arrays;

/**
 * The codebooks of a residual quantiser: level {@code l} has {@code size(l)} codewords of dimension {@code dim()}.
 * A vector's code at level {@code l} is the codeword nearest to what the earlier levels left over (its residual),
 * and a code is decoded as the sum of its codewords. Immutable; thread-safe.
 */
public final class ResidualCodebooks {

    private final int dim;
    private final float[][] codebooks;
    private final CentroidPanel[] panels;

    /** @param codebooks level {@code l}'s codewords, row-major {@code [size(l), dim]} (copied) */
    public ResidualCodebooks(int dim, float[][] codebooks) {
        if (dim <= 0 || codebooks.length == 0) {
            throw new IllegalArgumentException("codebooks: need a positive dimension and at least one level");
        }
        this.dim = dim;
        this.codebooks = new float[codebooks.length][];
        this.panels = new CentroidPanel[codebooks.length];
        for (int l = 0; l < codebooks.length; l++) {
            if (codebooks[l].length == 0 || codebooks[l].length % dim != 0) {
                throw new IllegalArgumentException("codebooks: level " + l + " has " + codebooks[l].length
                        + " values, not a whole number of codewords of dimension " + dim);
            }
            this.codebooks[l] = codebooks[l].clone();
            this.panels[l] = CentroidPanel.of(this.codebooks[l], codebooks[l].length / dim, dim);
        }
    }

    public int levels() {
        return codebooks.length;
    }

    public int dim() {
        return dim;
    }

    /** Number of codewords at {@code level}. */
    public int size(int level) {
        return codebooks[level].length / dim;
    }

    public int[] sizes() {
        int[] s = new int[codebooks.length];
        for (int l = 0; l < s.length; l++) {
            s[l] = size(l);
        }
        return s;
    }

    /** A copy of level {@code level}'s codewords, row-major. */
    public float[] codebook(int level) {
        return codebooks[level].clone();
    }

    /** Codeword {@code code} of {@code level}, value {@code j}. */
    public float value(int level, int code, int j) {
        return codebooks[level][code * dim + j];
    }

    CentroidPanel panel(int level) {
        return panels[level];
    }

    /** Adds codeword {@code code} of {@code level} to {@code out[off, off + dim)} ({@code sign} = +1 or -1). */
    public void addCodeword(int level, int code, float sign, float[] out, int off) {
        float[] cb = codebooks[level];
        int co = code * dim;
        for (int j = 0; j < dim; j++) {
            out[off + j] += sign * cb[co + j];
        }
    }

    /** Greedy residual codes of every vector of {@code z} ({@code n} rows): row-major {@code [n, levels]}. */
    public int[] encodeAll(float[] z, int n) {
        int levels = levels();
        int[] codes = new int[n * levels];
        float[] residual = Arrays.copyOf(z, n * dim);
        int[] index = new int[n];
        float[] dist = new float[n];
        for (int l = 0; l < levels; l++) {
            DistanceKernels.nearest(residual, n, panels[l], index, dist);
            int level = l;
            Parallel.forRange(n, 1024, (from, to) -> {
                for (int i = from; i < to; i++) {
                    codes[i * levels + level] = index[i];
                    addCodeword(level, index[i], -1f, residual, i * dim);
                }
            });
        }
        return codes;
    }

    /** Greedy residual code of one vector {@code z[off, off + dim)}. */
    public int[] encode(float[] z, int off) {
        return encodeAll(Arrays.copyOfRange(z, off, off + dim), 1);
    }

    /**
     * Sum of the codewords of the first {@code upTo} levels of the code at {@code codes[codeOff, ...)} into
     * {@code out[outOff, outOff + dim)} (overwritten).
     */
    public void decode(int[] codes, int codeOff, int upTo, float[] out, int outOff) {
        Arrays.fill(out, outOff, outOff + dim, 0f);
        for (int l = 0; l < upTo; l++) {
            addCodeword(l, codes[codeOff + l], 1f, out, outOff);
        }
    }

    /** {@link #decode} for every row of {@code codes} ({@code [n, levels]}): {@code [n, dim]}. */
    public float[] decodeAll(int[] codes, int n, int upTo) {
        int levels = levels();
        float[] out = new float[n * dim];
        Parallel.forRange(n, 1024, (from, to) -> {
            for (int i = from; i < to; i++) {
                decode(codes, i * levels, upTo, out, i * dim);
            }
        });
        return out;
    }

    /** Squared distances of {@code residual[off, off + dim)} to every codeword of {@code level} into {@code out[0, size)}. */
    public void distances(int level, float[] residual, int off, float[] out) {
        CentroidPanel p = panels[level];
        float[] point = off == 0 && residual.length == dim ? residual : Arrays.copyOfRange(residual, off, off + dim);
        float[] row = out.length >= p.rowLength() ? out : new float[p.rowLength()];
        DistanceKernels.distanceRows(point, 0, 1, p, row, 0);
        if (row != out) {
            System.arraycopy(row, 0, out, 0, p.size());
        }
    }
}
