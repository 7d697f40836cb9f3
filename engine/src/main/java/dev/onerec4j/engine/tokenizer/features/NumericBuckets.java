package dev.onerec4j.engine.tokenizer.features;

import java.util.Arrays;

/**
 * Turns a numeric item feature into a token: values are cut into buckets at quantiles of the catalogue's
 * values, and a value in bucket {@code b} becomes the token {@code num.<name>:q<b>}. Unknown values (NaN) give
 * no token.
 */
public record NumericBuckets(String name, float[] edges) {

    public NumericBuckets {
        edges = edges.clone();
        for (int i = 1; i < edges.length; i++) {
            if (!(edges[i] > edges[i - 1])) {
                throw new IllegalArgumentException("numeric buckets of '" + name + "': edges must increase: "
                        + Arrays.toString(edges));
            }
        }
    }

    /** Edges at the {@code 1/buckets .. (buckets-1)/buckets} quantiles of the known values (duplicates merged). */
    public static NumericBuckets fit(String name, float[] values, int buckets) {
        float[] known = new float[values.length];
        int n = 0;
        for (float v : values) {
            if (!Float.isNaN(v)) {
                known[n++] = v;
            }
        }
        known = Arrays.copyOf(known, n);
        Arrays.sort(known);
        float[] edges = new float[Math.max(0, buckets - 1)];
        int e = 0;
        for (int q = 1; q < buckets && n > 0; q++) {
            float edge = known[Math.min(n - 1, (int) ((long) q * n / buckets))];
            if (edge > known[0] && (e == 0 || edge > edges[e - 1])) {
                edges[e++] = edge;
            }
        }
        return new NumericBuckets(name, Arrays.copyOf(edges, e));
    }

    /** The bucket of {@code value}: the number of edges {@code <= value}; -1 for NaN. */
    public int bucket(float value) {
        if (Float.isNaN(value)) {
            return -1;
        }
        int lo = 0;
        int hi = edges.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (edges[mid] <= value) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** The token of {@code value}, or null for NaN. */
    public String token(float value) {
        int b = bucket(value);
        return b < 0 ? null : "num." + name + ":q" + b;
    }

    public int bucketCount() {
        return edges.length + 1;
    }

    @Override
    public float[] edges() {
        return edges.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NumericBuckets b && b.name.equals(name) && Arrays.equals(b.edges, edges);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(edges);
    }

    @Override
    public String toString() {
        return "NumericBuckets[" + name + ", " + Arrays.toString(edges) + "]";
    }
}
