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

    private final MemoryScope scope;
    private final DType dtype;
    private final SplittableRandom rng;

    public Init(MemoryScope scope, DType dtype, long seed) {
        if (dtype != DType.F32 && dtype != DType.F64) {
            throw new IllegalArgumentException("parameters are F32 (or F64 for gradient checks), not " + dtype);
        }
        this.scope = scope;
        this.dtype = dtype;
        this.rng = new SplittableRandom(seed);
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
        return MemoryScope.within(scope, () -> Tensor.randn(dtype, seed, std, shape));
    }

    /** Uniform(-bound, bound) values. */
    public Tensor uniform(double bound, int... shape) {
        long seed = rng.nextLong();
        return MemoryScope.within(scope, () -> Tensor.rand(dtype, seed, -bound, bound, shape));
    }

    public Tensor zeros(int... shape) {
        return MemoryScope.within(scope, () -> Tensor.zeros(dtype, shape));
    }

    public Tensor ones(int... shape) {
        return MemoryScope.within(scope, () -> Tensor.ones(dtype, shape));
    }

    /** A fresh seed drawn from this initialiser's stream (for dropout and other randomness a module owns). */
    public long nextSeed() {
        return rng.nextLong();
    }
}
