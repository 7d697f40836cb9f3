package dev.onerec4j.kernels;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;

import static dev.onerec4j.kernels.Segments.LENGTHS;
import static dev.onerec4j.kernels.Segments.assertAllclose;
import static dev.onerec4j.kernels.Segments.toDoubles;

/** The fused F32 AdamW step against a scalar double reference over several steps. */
class OptimizerKernelsTest {

    @Test
    void severalStepsMatchScalarReference() {
        Random r = new Random(41);
        double lr = 1e-2;
        double beta1 = 0.9;
        double beta2 = 0.95;
        double eps = 1e-8;
        double wd = 0.1;
        try (Arena arena = Arena.ofConfined()) {
            for (int n : LENGTHS) {
                MemorySegment p = Segments.gaussian(arena, r, n + 1, 1, 0);
                MemorySegment m = Segments.floats(arena, n + 2);
                MemorySegment v = Segments.floats(arena, n + 3);
                m.fill((byte) 0);
                v.fill((byte) 0);
                double[] pr = toDoubles(p, 1, n);
                double[] mr = new double[n];
                double[] vr = new double[n];
                for (int step = 1; step <= 6; step++) {
                    MemorySegment g = Segments.gaussian(arena, r, n, 0.5, 0.1);
                    double bias1 = 1 - Math.pow(beta1, step);
                    double bias2 = 1 - Math.pow(beta2, step);
                    OptimizerKernels.adamwF32(p, 1, g, 0, m, 2, v, 3, n, lr, beta1, beta2, eps, wd, bias1, bias2);
                    for (int i = 0; i < n; i++) {
                        double gi = g.getAtIndex(ValueLayout.JAVA_FLOAT, i);
                        pr[i] -= lr * wd * pr[i];
                        mr[i] = beta1 * mr[i] + (1 - beta1) * gi;
                        vr[i] = beta2 * vr[i] + (1 - beta2) * gi * gi;
                        pr[i] -= lr * (mr[i] / bias1) / (Math.sqrt(vr[i] / bias2) + eps);
                    }
                    assertAllclose("adamw m n=" + n + " step " + step, mr, toDoubles(m, 2, n), 1e-5, 1e-7);
                    assertAllclose("adamw v n=" + n + " step " + step, vr, toDoubles(v, 3, n), 1e-5, 1e-8);
                    assertAllclose("adamw param n=" + n + " step " + step, pr, toDoubles(p, 1, n), 1e-5, 1e-6);
                }
            }
        }
    }
}
