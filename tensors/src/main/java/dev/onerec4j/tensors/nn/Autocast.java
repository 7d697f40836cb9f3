package dev.onerec4j.tensors.nn;

import dev.onerec4j.tensors.DType;
import dev.onerec4j.tensors.Tensor;

/**
 * Mixed precision: inside {@code try (var a = Autocast.bf16()) {...}} the matrix products of the layers take BF16
 * inputs (weights and activations rounded to BF16, round-to-nearest-even) and accumulate in FP32, while the
 * parameters themselves stay FP32 master weights that the optimizer updates.
 */
public final class Autocast {

    private static final ThreadLocal<DType[]> COMPUTE = ThreadLocal.withInitial(() -> new DType[] {null});

    private Autocast() {
    }

    /** Enables BF16 matmul inputs on this thread until the guard is closed. */
    public static Guard bf16() {
        return set(DType.BF16);
    }

    /** Disables autocast on this thread until the guard is closed. */
    public static Guard off() {
        return set(null);
    }

    private static Guard set(DType d) {
        DType[] slot = COMPUTE.get();
        DType previous = slot[0];
        slot[0] = d;
        return new Guard(slot, previous);
    }

    public static boolean isBf16() {
        return COMPUTE.get()[0] == DType.BF16;
    }

    /** {@code t} as a matmul input under the current autocast: BF16 when enabled and t is F32, else t. */
    public static Tensor matmulInput(Tensor t) {
        return isBf16() && t.dtype() == DType.F32 ? t.to(DType.BF16) : t;
    }

    /** Restores the previous setting when closed. */
    public static final class Guard implements AutoCloseable {
        private final DType[] slot;
        private final DType previous;

        private Guard(DType[] slot, DType previous) {
            this.slot = slot;
            this.previous = previous;
        }

        @Override
        public void close() {
            slot[0] = previous;
        }
    }
}
