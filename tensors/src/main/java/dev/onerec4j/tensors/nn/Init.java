package dev.onerec4j.tensors.nn;

import dev.onerec4j.tensors.DType;
import dev.onerec4j.tensors.MemoryScope;
import dev.onerec4j.tensors.Tensor;

import java.util.SplittableRandom;

/**
 * Creates parameters: owns the scope they live in (the model's, not a step's), the dtype (F32 master weights, or
 * F64 for gradient checks) and a seeded random stream, so a model built twice with the same seed is identical.
 */
public final class Init {

    /**
     * Supplies existing tensors in place of freshly initialised ones, in the order the model creates them (e.g.
     * weights memory-mapped from a file, so a model for inference holds no copy of them).
     */
    @FunctionalInterface
    public interface Source {
        /** The tensor for the next parameter or buffer the model creates, of shape {@code shape}. */
        Tensor next(DType dtype, int[] shape);
    }

    private final MemoryScope scope;
    private final DType dtype;
    private final SplittableRandom rng;
    private final Source source;

    public Init(MemoryScope scope, DType dtype, long seed) {
        this(scope, dtype, seed, null);
    }

    /** An initialiser whose parameters and buffers all come from {@code source} (none is initialised). */
    public static Init from(MemoryScope scope, DType dtype, Source source) {
        if (source == null) {
            throw new IllegalArgumentException("Init.from needs a source of tensors");
        }
        return new Init(scope, dtype, 0, source);
    }

    private Init(MemoryScope scope, DType dtype, long seed, Source source) {
        if (dtype != DType.F32 && dtype != DType.F64) {
            throw new IllegalArgumentException("parameters are F32 (or F64 for gradient checks), not " + dtype);
        }
        this.scope = scope;
        this.dtype = dtype;
        this.rng = new SplittableRandom(seed);
        this.source = source;
    }

    public MemoryScope scope() {
        return scope;
    }

    public DType dtype() {
        return dtype;
    }

    /** Normal(0, std) values. */
    public Tensor normal(double std, int... shape) {
        long seed = rng.nextLong();
        if (source != null) {
            return supplied(shape);
        }
        return MemoryScope.within(scope, () -> Tensor.randn(dtype, seed, std, shape));
    }

    /** Uniform(-bound, bound) values. */
    public Tensor uniform(double bound, int... shape) {
        long seed = rng.nextLong();
        if (source != null) {
            return supplied(shape);
        }
        return MemoryScope.within(scope, () -> Tensor.rand(dtype, seed, -bound, bound, shape));
    }

    public Tensor zeros(int... shape) {
        if (source != null) {
            return supplied(shape);
        }
        return MemoryScope.within(scope, () -> Tensor.zeros(dtype, shape));
    }

    public Tensor ones(int... shape) {
        if (source != null) {
            return supplied(shape);
        }
        return MemoryScope.within(scope, () -> Tensor.ones(dtype, shape));
    }

    private Tensor supplied(int[] shape) {
        Tensor t = source.next(dtype, shape.clone());
        if (t == null || !java.util.Arrays.equals(t.shape(), shape) || t.dtype() != dtype) {
            throw new IllegalStateException("Init source: expected a " + dtype + " tensor of shape "
                    + java.util.Arrays.toString(shape) + ", got " + (t == null ? "none"
                    : t.dtype() + " " + java.util.Arrays.toString(t.shape())));
        }
        return t;
    }

    /** A fresh seed drawn from this initialiser's stream (for dropout and other randomness a module owns). */
    public long nextSeed() {
        return rng.nextLong();
    }
}
