package dev.onerec4j.engine.tokenizer.quant;

/**
 * A codebook laid out for {@link DistanceKernels}: the {@code k} centroids of dimension {@code d} regrouped in
 * blocks of {@link DistanceKernels#BLOCK} centroids, each block stored dimension-major
 * ({@code panel[block * d * BLOCK + j * BLOCK + c]} is dimension {@code j} of centroid {@code block * BLOCK + c}),
 * so the distance microkernel reads one contiguous run per block. The centroid count is padded to a whole block;
 * padding centroids have an infinite squared norm, so they are never the nearest.
 */
public final class CentroidPanel {

    final int k;
    final int d;
    final int paddedK;
    final float[] panel;
    final float[] norms;

    private CentroidPanel(int k, int d, int paddedK, float[] panel, float[] norms) {
        this.k = k;
        this.d = d;
        this.paddedK = paddedK;
        this.panel = panel;
        this.norms = norms;
    }

    /** Lays out {@code centroids} (row-major {@code [k, d]}). */
    public static CentroidPanel of(float[] centroids, int k, int d) {
        if (k <= 0 || d <= 0 || centroids.length < (long) k * d) {
            throw new IllegalArgumentException("centroid panel: " + centroids.length + " values for " + k
                    + " centroids of dimension " + d);
        }
        int block = DistanceKernels.BLOCK;
        int paddedK = (k + block - 1) / block * block;
        float[] panel = new float[paddedK * d];
        float[] norms = new float[paddedK];
        for (int c = 0; c < paddedK; c++) {
            if (c >= k) {
                norms[c] = Float.POSITIVE_INFINITY;
                continue;
            }
            int base = (c / block) * d * block + c % block;
            double norm = 0;
            for (int j = 0; j < d; j++) {
                float v = centroids[c * d + j];
                panel[base + j * block] = v;
                norm += (double) v * v;
            }
            norms[c] = (float) norm;
        }
        return new CentroidPanel(k, d, paddedK, panel, norms);
    }

    /** Number of centroids (without padding). */
    public int size() {
        return k;
    }

    public int dim() {
        return d;
    }

    /** Length of one row of distances written by {@link DistanceKernels#distanceRows}: {@code size()} rounded up to a block. */
    public int rowLength() {
        return paddedK;
    }
}
