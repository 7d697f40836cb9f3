package dev.onerec4j.engine.tokenizer.quant;

import dev.onerec4j.kernels.Parallel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Squared Euclidean distances from points to a codebook, nearest centroids and the {@code m} nearest centroids,
 * for k-means and residual quantisation. Points are row-major {@code float[n * d]}; codebooks come as a
 * {@link CentroidPanel}.
 *
 * <p>The microkernel computes {@code |x|^2 + |c|^2 - 2 x.c} for a tile of {@link #TILE} points against a block of
 * {@link #BLOCK} centroids at a time: eight independent vector accumulators, each centroid vector loaded once per
 * dimension and reused by the four points, each point coordinate broadcast once and reused by both centroid
 * vectors. Work is split over the worker pool by coarse ranges of points; the nearest-centroid passes allocate
 * one row buffer per range, never per point.
 */
public final class DistanceKernels {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Centroids per block of the panel: two vectors. */
    public static final int BLOCK = 2 * L;
    /** Points per microkernel tile. */
    public static final int TILE = 4;
    /** Points per parallel task: enough work to amortise a task, small enough to balance two threads. */
    private static final int GRAIN = 256;

    private DistanceKernels() {
    }

    /**
     * Squared distances of points {@code [from, to)} of {@code x} to every centroid of {@code panel}: row
     * {@code r - from} of {@code out} (length {@link CentroidPanel#rowLength()} each, starting at
     * {@code outOffset}) holds point {@code r}'s distances; padding columns are {@code +inf}. Negative values from
     * rounding are clamped to 0.
     */
    public static void distanceRows(float[] x, int from, int to, CentroidPanel panel, float[] out, int outOffset) {
        int d = panel.d;
        int kp = panel.paddedK;
        int r = from;
        for (; r + TILE <= to; r += TILE) {
            tile4(x, r * d, d, panel, out, outOffset + (r - from) * kp);
        }
        for (; r < to; r++) {
            tile1(x, r * d, d, panel, out, outOffset + (r - from) * kp);
        }
    }

    private static void tile4(float[] x, int x0, int d, CentroidPanel p, float[] out, int o0) {
        int kp = p.paddedK;
        float[] panel = p.panel;
        float[] norms = p.norms;
        int x1 = x0 + d;
        int x2 = x1 + d;
        int x3 = x2 + d;
        FloatVector n0 = FloatVector.broadcast(S, squaredNorm(x, x0, d));
        FloatVector n1 = FloatVector.broadcast(S, squaredNorm(x, x1, d));
        FloatVector n2 = FloatVector.broadcast(S, squaredNorm(x, x2, d));
        FloatVector n3 = FloatVector.broadcast(S, squaredNorm(x, x3, d));
        int o1 = o0 + kp;
        int o2 = o1 + kp;
        int o3 = o2 + kp;
        for (int kb = 0; kb < kp; kb += BLOCK) {
            FloatVector a00 = FloatVector.zero(S);
            FloatVector a01 = FloatVector.zero(S);
            FloatVector a10 = FloatVector.zero(S);
            FloatVector a11 = FloatVector.zero(S);
            FloatVector a20 = FloatVector.zero(S);
            FloatVector a21 = FloatVector.zero(S);
            FloatVector a30 = FloatVector.zero(S);
            FloatVector a31 = FloatVector.zero(S);
            int base = kb * d;
            for (int j = 0; j < d; j++) {
                int off = base + j * BLOCK;
                FloatVector c0 = FloatVector.fromArray(S, panel, off);
                FloatVector c1 = FloatVector.fromArray(S, panel, off + L);
                FloatVector b = FloatVector.broadcast(S, x[x0 + j]);
                a00 = b.fma(c0, a00);
                a01 = b.fma(c1, a01);
                b = FloatVector.broadcast(S, x[x1 + j]);
                a10 = b.fma(c0, a10);
                a11 = b.fma(c1, a11);
                b = FloatVector.broadcast(S, x[x2 + j]);
                a20 = b.fma(c0, a20);
                a21 = b.fma(c1, a21);
                b = FloatVector.broadcast(S, x[x3 + j]);
                a30 = b.fma(c0, a30);
                a31 = b.fma(c1, a31);
            }
            FloatVector c0 = FloatVector.fromArray(S, norms, kb);
            FloatVector c1 = FloatVector.fromArray(S, norms, kb + L);
            store(a00, c0, n0, out, o0 + kb);
            store(a01, c1, n0, out, o0 + kb + L);
            store(a10, c0, n1, out, o1 + kb);
            store(a11, c1, n1, out, o1 + kb + L);
            store(a20, c0, n2, out, o2 + kb);
            store(a21, c1, n2, out, o2 + kb + L);
            store(a30, c0, n3, out, o3 + kb);
            store(a31, c1, n3, out, o3 + kb + L);
        }
    }

    private static void tile1(float[] x, int x0, int d, CentroidPanel p, float[] out, int o0) {
        int kp = p.paddedK;
        float[] panel = p.panel;
        FloatVector n0 = FloatVector.broadcast(S, squaredNorm(x, x0, d));
        for (int kb = 0; kb < kp; kb += BLOCK) {
            FloatVector a0 = FloatVector.zero(S);
            FloatVector a1 = FloatVector.zero(S);
            int base = kb * d;
            for (int j = 0; j < d; j++) {
                int off = base + j * BLOCK;
                FloatVector b = FloatVector.broadcast(S, x[x0 + j]);
                a0 = b.fma(FloatVector.fromArray(S, panel, off), a0);
                a1 = b.fma(FloatVector.fromArray(S, panel, off + L), a1);
            }
            store(a0, FloatVector.fromArray(S, p.norms, kb), n0, out, o0 + kb);
            store(a1, FloatVector.fromArray(S, p.norms, kb + L), n0, out, o0 + kb + L);
        }
    }

    /** {@code max(0, |x|^2 + |c|^2 - 2 dot)}; an infinite (padding) norm stays infinite. */
    private static void store(FloatVector dot, FloatVector centroidNorm, FloatVector pointNorm, float[] out, int at) {
        dot.mul(-2f).add(centroidNorm).add(pointNorm).max(0f).intoArray(out, at);
    }

    /** The first index of the smallest of {@code row[off, off + k)}. */
    public static int argmin(float[] row, int off, int k) {
        int i = 0;
        FloatVector m = FloatVector.broadcast(S, Float.POSITIVE_INFINITY);
        int bound = S.loopBound(k);
        for (; i < bound; i += L) {
            m = m.min(FloatVector.fromArray(S, row, off + i));
        }
        float best = m.reduceLanes(VectorOperators.MIN);
        for (; i < k; i++) {
            best = Math.min(best, row[off + i]);
        }
        for (int c = 0; c < k; c++) {
            if (row[off + c] == best) {
                return c;
            }
        }
        return 0; // only reachable when every distance is NaN
    }

    /**
     * The nearest centroid of every point of {@code x} ({@code n} points): {@code index[i]} (the lowest index at
     * ties) and its squared distance {@code dist[i]}. Parallel over ranges of points.
     */
    public static void nearest(float[] x, int n, CentroidPanel panel, int[] index, float[] dist) {
        checkPoints(x, n, panel);
        int kp = panel.paddedK;
        Parallel.forRange(n, GRAIN, (from, to) -> {
            float[] rows = new float[TILE * kp];
            for (int r = from; r < to; r += TILE) {
                int end = Math.min(to, r + TILE);
                distanceRows(x, r, end, panel, rows, 0);
                for (int i = r; i < end; i++) {
                    int c = argmin(rows, (i - r) * kp, panel.k);
                    index[i] = c;
                    dist[i] = rows[(i - r) * kp + c];
                }
            }
        });
    }

    /**
     * The {@code m} nearest centroids of every point, nearest first (lower index first at ties):
     * {@code index[i * m + j]} and {@code dist[i * m + j]}. Parallel over ranges of points.
     */
    public static void nearestM(float[] x, int n, CentroidPanel panel, int m, int[] index, float[] dist) {
        checkPoints(x, n, panel);
        if (m < 1 || m > panel.k) {
            throw new IllegalArgumentException("nearestM: m = " + m + " must be in [1, " + panel.k + "]");
        }
        int kp = panel.paddedK;
        Parallel.forRange(n, GRAIN, (from, to) -> {
            float[] rows = new float[TILE * kp];
            for (int r = from; r < to; r += TILE) {
                int end = Math.min(to, r + TILE);
                distanceRows(x, r, end, panel, rows, 0);
                for (int i = r; i < end; i++) {
                    smallestM(rows, (i - r) * kp, panel.k, m, index, dist, i * m);
                }
            }
        });
    }

    /**
     * The {@code m} smallest of {@code row[off, off + k)} in ascending order into {@code index/dist[at, at + m)}
     * by insertion into a sorted run (strict comparison keeps the lower index first at ties).
     */
    public static void smallestM(float[] row, int off, int k, int m, int[] index, float[] dist, int at) {
        int filled = 0;
        for (int c = 0; c < k; c++) {
            float v = row[off + c];
            if (filled == m && !(v < dist[at + m - 1])) {
                continue;
            }
            int pos = filled == m ? m - 1 : filled++;
            while (pos > 0 && v < dist[at + pos - 1]) {
                dist[at + pos] = dist[at + pos - 1];
                index[at + pos] = index[at + pos - 1];
                pos--;
            }
            dist[at + pos] = v;
            index[at + pos] = c;
        }
    }

    /** {@code sum x[off + j]^2} over {@code j < d}. */
    public static float squaredNorm(float[] x, int off, int d) {
        FloatVector acc = FloatVector.zero(S);
        int j = 0;
        int bound = S.loopBound(d);
        for (; j < bound; j += L) {
            FloatVector v = FloatVector.fromArray(S, x, off + j);
            acc = v.fma(v, acc);
        }
        float s = acc.reduceLanes(VectorOperators.ADD);
        for (; j < d; j++) {
            s += x[off + j] * x[off + j];
        }
        return s;
    }

    /**
     * {@code sum (a[ao + j] - b[bo + j])^2} over {@code j < d}. Four independent accumulators over blocks of four
     * vectors (the loop is latency-bound on the FMA chain otherwise), then single vectors, then a scalar tail.
     */
    public static float squaredDistance(float[] a, int ao, float[] b, int bo, int d) {
        FloatVector acc0 = FloatVector.zero(S);
        FloatVector acc1 = FloatVector.zero(S);
        FloatVector acc2 = FloatVector.zero(S);
        FloatVector acc3 = FloatVector.zero(S);
        int j = 0;
        for (int bound4 = d - 4 * L; j <= bound4; j += 4 * L) {
            FloatVector v0 = FloatVector.fromArray(S, a, ao + j).sub(FloatVector.fromArray(S, b, bo + j));
            FloatVector v1 = FloatVector.fromArray(S, a, ao + j + L).sub(FloatVector.fromArray(S, b, bo + j + L));
            FloatVector v2 = FloatVector.fromArray(S, a, ao + j + 2 * L)
                    .sub(FloatVector.fromArray(S, b, bo + j + 2 * L));
            FloatVector v3 = FloatVector.fromArray(S, a, ao + j + 3 * L)
                    .sub(FloatVector.fromArray(S, b, bo + j + 3 * L));
            acc0 = v0.fma(v0, acc0);
            acc1 = v1.fma(v1, acc1);
            acc2 = v2.fma(v2, acc2);
            acc3 = v3.fma(v3, acc3);
        }
        for (int bound = S.loopBound(d); j < bound; j += L) {
            FloatVector v = FloatVector.fromArray(S, a, ao + j).sub(FloatVector.fromArray(S, b, bo + j));
            acc0 = v.fma(v, acc0);
        }
        float s = acc0.add(acc1).add(acc2.add(acc3)).reduceLanes(VectorOperators.ADD);
        for (; j < d; j++) {
            float v = a[ao + j] - b[bo + j];
            s += v * v;
        }
        return s;
    }

    private static void checkPoints(float[] x, int n, CentroidPanel panel) {
        if (n < 0 || x.length < (long) n * panel.d) {
            throw new IllegalArgumentException("distances: " + x.length + " values for " + n + " points of dimension "
                    + panel.d);
        }
    }
}
