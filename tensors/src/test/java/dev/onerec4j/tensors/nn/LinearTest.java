package dev.onerec4j.tensors.nn;

import dev.onerec4j.tensors.DType;
import dev.onerec4j.tensors.MemoryScope;
import dev.onerec4j.tensors.Tensor;
import dev.onerec4j.tensors.testing.Allclose;
import dev.onerec4j.tensors.testing.GradCheck;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LinearTest {

    @Test
    void gradientsOfInputWeightAndBias() {
        Linear lin = new Linear(new Init(MemoryScope.owned("p"), DType.F64, 1), 4, 3, true);
        GradCheck.check("linear module", x -> lin.forward(x[0]), GradCheck.input(5, 2, 5, 4));
        GradCheck.check("linear weight", x -> lin.forward(Tensor.randn(DType.F64, 6, 1.0, 7, 4)), lin.weight(), lin.bias());
    }

    @Test
    void namesAndCountsParameters() {
        class Two extends Module {
            final Linear a;
            final ModuleList<Linear> layers = child("layers", new ModuleList<>());

            Two(Init init) {
                a = child("a", new Linear(init, 3, 4, true));
                layers.add(new Linear(init, 4, 4, false));
                layers.add(new Linear(init, 4, 2, false));
            }
        }
        Two m = new Two(new Init(MemoryScope.owned("p"), DType.F32, 2));
        assertEquals(java.util.List.of("layers.0.weight", "layers.1.weight", "a.weight", "a.bias"),
                java.util.List.copyOf(m.namedParameters().keySet()));
        assertEquals(12 + 4 + 16 + 8, m.parameterCount());
    }

    @Test
    void sameSeedSameModel() {
        Linear a = new Linear(new Init(MemoryScope.owned("a"), DType.F32, 7), 5, 6, true);
        Linear b = new Linear(new Init(MemoryScope.owned("b"), DType.F32, 7), 5, 6, true);
        Allclose.assertAllclose("weights", a.weight(), b.weight(), 0, 0);
    }

    @Test
    void autocastRoundsMatmulInputsToBf16() {
        Linear lin = new Linear(new Init(MemoryScope.owned("p"), DType.F32, 3), 64, 16, false);
        Tensor x = Tensor.randn(DType.F32, 4, 1.0, 8, 64);
        Tensor full = lin.forward(x);
        Tensor half;
        try (var a = Autocast.bf16()) {
            half = lin.forward(x);
        }
        Tensor ref = lin.forward(x.to(DType.BF16).to(DType.F32)); // same as rounding both inputs
        double[] f = full.toDoubleArray();
        double[] h = half.toDoubleArray();
        double maxDiff = 0;
        for (int i = 0; i < f.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(f[i] - h[i]));
        }
        assertTrue(maxDiff > 0, "autocast must change the result");
        Allclose.assertAllclose("bf16 close to f32", full, half, Allclose.BF16_RTOL, 0.05);
        assertEquals(DType.F32, half.dtype());
        assertEquals(DType.F32, lin.weight().dtype(), "master weights stay F32");
        assertTrue(ref != null);
    }
}
