package dev.onerec4j.tensors.optim;

import dev.onerec4j.tensors.DType;
import dev.onerec4j.tensors.Tensor;
import dev.onerec4j.tensors.ops.Arith;
import dev.onerec4j.tensors.ops.Reduce;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class OptimTest {

    @Test
    void warmupThenCosine() {
        WarmupCosine s = new WarmupCosine(1.0, 10, 110, 0.1);
        assertEquals(0.1, s.at(0), 1e-12);
        assertEquals(1.0, s.at(9), 1e-12);
        assertEquals(1.0, s.at(10), 1e-12);
        assertEquals(0.55, s.at(60), 1e-12);
        assertEquals(0.1, s.at(110), 1e-12);
        assertEquals(0.1, s.at(1000), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> new WarmupCosine(0, 1, 1, 0));
    }

    @Test
    void clippingScalesToTheGlobalNorm() {
        Tensor a = Tensor.of(new double[] {3, 0}, 2).requiresGrad(true);
        Tensor b = Tensor.of(new double[] {0}, 1).requiresGrad(true);
        a.setGrad(Tensor.of(new double[] {3, 0}, 2));
        b.setGrad(Tensor.of(new double[] {4}, 1));
        double norm = GradClip.clipGlobalNorm(List.of(a, b), 1.0);
        assertEquals(5.0, norm, 1e-12);
        assertArrayEquals(new double[] {0.6, 0}, a.grad().toDoubleArray(), 1e-9);
        assertArrayEquals(new double[] {0.8}, b.grad().toDoubleArray(), 1e-9);
        assertEquals(1.0, GradClip.globalNorm(List.of(a, b)), 1e-9);
    }

    @Test
    void sgdWithMomentumAndDecoupledDecay() {
        Tensor w = Tensor.of(new double[] {1.0, -2.0}, 2).requiresGrad(true);
        Sgd sgd = new Sgd(Map.of("w", w), 0.9, 0.1);
        double[] ref = {1.0, -2.0};
        double[] vel = {0, 0};
        for (int step = 0; step < 5; step++) {
            sgd.zeroGrad();
            Reduce.sum(Arith.square(w)).backward();
            for (int i = 0; i < 2; i++) {
                double g = 2 * ref[i];
                ref[i] *= 1 - 0.05 * 0.1;
                vel[i] = 0.9 * vel[i] + g;
                ref[i] -= 0.05 * vel[i];
            }
            sgd.step(0.05);
        }
        assertArrayEquals(ref, w.toDoubleArray(), 1e-12);
        assertEquals(5, sgd.steps());
    }

    @Test
    void adamWMatchesAScalarReferenceAndSkipsDecayWhereAsked() {
        Tensor w = Tensor.of(new float[] {1.0f, -2.0f}, 2).requiresGrad(true);
        Tensor g = Tensor.of(new float[] {0.5f}, 1).requiresGrad(true);
        AdamW opt = new AdamW(Map.of("w", w, "g", g), 0.9, 0.999, 1e-8, 0.1, java.util.Set.of("g"));
        double[] ref = {1.0, -2.0, 0.5};
        double[] m = new double[3];
        double[] v = new double[3];
        for (int step = 1; step <= 4; step++) {
            opt.zeroGrad();
            Reduce.sum(Arith.square(w)).backward();
            Reduce.sum(Arith.square(g)).backward();
            double lr = 0.01;
            for (int i = 0; i < 3; i++) {
                double grad = 2 * ref[i];
                double decay = i == 2 ? 0 : 0.1;
                ref[i] -= lr * decay * ref[i];
                m[i] = 0.9 * m[i] + 0.1 * grad;
                v[i] = 0.999 * v[i] + 0.001 * grad * grad;
                double mh = m[i] / (1 - Math.pow(0.9, step));
                double vh = v[i] / (1 - Math.pow(0.999, step));
                ref[i] -= lr * mh / (Math.sqrt(vh) + 1e-8);
            }
            opt.step(lr);
        }
        assertArrayEquals(new double[] {ref[0], ref[1]}, w.toDoubleArray(), 1e-6);
        assertArrayEquals(new double[] {ref[2]}, g.toDoubleArray(), 1e-6);
        assertEquals(2, opt.stateTensors().size() / 2);
    }

    @Test
    void badHyperparametersAreNamed() {
        Tensor w = Tensor.zeros(DType.F32, 2).requiresGrad(true);
        assertThrows(IllegalArgumentException.class, () -> new AdamW(Map.of("w", w), 1.0, 0.99, 1e-8, 0, java.util.Set.of()));
        assertThrows(IllegalArgumentException.class, () -> new Sgd(Map.of("w", w), -0.1, 0));
    }
}
