package dev.onerec4j.kernels;

/**
 * A GEMM right-hand side {@code B [k, n]} packed once into the micro-panel layout of the F32 microkernels, for
 * products that reuse it many times (model weights at inference): {@link PackedGemmKernels#multiply} then packs
 * only the left-hand side. Depth slice {@code q} ({@code KC} deep, the last one shorter) starts at
 * {@code q * KC * panels * NR}; its panel {@code t} ({@code NR} columns, zero-padded at the edge) at
 * {@code + t * NR * kc}. Immutable once built; safe to share between threads.
 */
public final class PackedMatrix {

    final float[] data;
    final int k;
    final int n;
    final int panels;

    PackedMatrix(float[] data, int k, int n, int panels) {
        this.data = data;
        this.k = k;
        this.n = n;
        this.panels = panels;
    }

    /** Depth (rows of B). */
    public int depth() {
        return k;
    }

    /** Columns of B (of the product). */
    public int columns() {
        return n;
    }

    /** Floats held (the packed size, edge padding included). */
    public long packedFloats() {
        return data.length;
    }
}
