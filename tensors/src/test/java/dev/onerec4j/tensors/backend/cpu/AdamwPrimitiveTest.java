package dev.onerec4j.tensors.backend.cpu;

import dev.onerec4j.tensors.DType;
import dev.onerec4j.tensors.Tensor;
import dev.onerec4j.tensors.backend.Backend;
import org.junit.jupiter.api.Test;

import static dev.onerec4j.tensors.testing.Allclose.assertAllclose;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The fused AdamW primitive: against a scalar double reference, and the behaviours that define AdamW. */
class AdamwPrimitiveTest {

    private static final Backend CPU = CpuBackend.INSTANCE;

    @Test
    void severalStepsMatchTheScalarReference() {
        int n = 50_003; // odd, and split over the worker pool
        double lr = 3e-3;
        double beta1 = 0.9;
        double beta2 = 0.999;
        double eps = 1e-8;
        double wd = 0.05;
        for (DType dt : new DType[] {DType.F32, DType.F64}) {
            Tensor p = Tensor.randn(dt, 1, 1.0, n);
            Tensor m = Tensor.zeros(dt, n);
            Tensor v = Tensor.zeros(dt, n);
            double[] pr = p.toDoubleArray();
            double[] mr = new double[n];
            double[] vr = new double[n];
            for (int t = 1; t <= 5; t++) {
                Tensor g = Tensor.randn(dt, 100 + t, 0.3, n);
                double[] gv = g.toDoubleArray();
                double bias1 = 1 - Math.pow(beta1, t);
                double bias2 = 1 - Math.pow(beta2, t);
                CPU.adamw(p, g, m, v, lr, beta1, beta2, eps, wd, bias1, bias2);
                for (int i = 0; i < n; i++) {
                    pr[i] *= 1 - lr * wd;
                    mr[i] = beta1 * mr[i] + (1 - beta1) * gv[i];
                    vr[i] = beta2 * vr[i] + (1 - beta2) * gv[i] * gv[i];
                    pr[i] -= lr * (mr[i] / bias1) / (Math.sqrt(vr[i] / bias2) + eps);
                }
                double rtol = dt == DType.F32 ? 1e-5 : 1e-12;
                assertAllclose(dt + " param after step " + t, pr, p, rtol, 1e-7);
                assertAllclose(dt + " m after step " + t, mr, m, rtol, 1e-8); // m cancels when g flips sign
                assertAllclose(dt + " v after step " + t, vr, v, rtol, 1e-10);
            }
        }
    }

    /**
     * Decoupled decay: with a zero gradient the moments stay zero and the parameter only shrinks by
     * {@code 1 - lr * wd}. (Adam with an L2 term would feed {@code wd * p} through the moments and take a
     * normalised step of about {@code lr} instead.)
     */
    @Test
    void weightDecayIsDecoupledFromTheMoments() {
        Tensor p = Tensor.of(new float[] {2f, -4f, 0.5f, 8f, -1f}, 5);
        Tensor zero = Tensor.zeros(DType.F32, 5);
        Tensor m = Tensor.zeros(DType.F32, 5);
        Tensor v = Tensor.zeros(DType.F32, 5);
        double lr = 0.1;
        double wd = 0.2;
        double[] expected = p.toDoubleArray();
        for (int t = 1; t <= 3; t++) {
            CPU.adamw(p, zero, m, v, lr, 0.9, 0.99, 1e-8, wd, 1 - Math.pow(0.9, t), 1 - Math.pow(0.99, t));
            for (int i = 0; i < 5; i++) {
                expected[i] *= 1 - lr * wd;
            }
            assertAllclose("decayed parameter at step " + t, expected, p, 1e-6, 0);
            assertAllclose("first moment stays zero", new double[5], m, 0, 0);
            assertAllclose("second moment stays zero", new double[5], v, 0, 0);
        }
    }

    /**
     * With a constant gradient the bias-corrected moments are exactly {@code g} and {@code g^2}, so every step
     * moves each parameter by {@code lr * g / (|g| + eps)}, about {@code lr} against the gradient's sign:
     * sign-SGD with step {@code lr}, whatever the gradient's scale; the decay composes multiplicatively.
     */
    @Test
    void constantGradientGivesSignSgdSteps() {
        double[] grads = {1e-3, -5.0, 250.0, -0.02};
        Tensor g = Tensor.of(DType.F32, grads, 4);
        Tensor p = Tensor.zeros(DType.F32, 4);
        Tensor m = Tensor.zeros(DType.F32, 4);
        Tensor v = Tensor.zeros(DType.F32, 4);
        double lr = 0.01;
        double wd = 0.5;
        double[] expected = new double[4];
        for (int t = 1; t <= 20; t++) {
            CPU.adamw(p, g, m, v, lr, 0.9, 0.999, 1e-12, wd, 1 - Math.pow(0.9, t), 1 - Math.pow(0.999, t));
            for (int i = 0; i < 4; i++) {
                expected[i] = expected[i] * (1 - lr * wd) - lr * Math.signum(grads[i]);
            }
        }
        assertAllclose("sign-SGD trajectory", expected, p, 1e-4, 1e-7);
    }

    @Test
    void badArgumentsAreRejected() {
        Tensor p = Tensor.zeros(DType.F32, 3);
        assertThrows(IllegalArgumentException.class,
                () -> CPU.adamw(p, Tensor.zeros(DType.F32, 4), Tensor.zeros(DType.F32, 3), Tensor.zeros(DType.F32, 3),
                        1e-3, 0.9, 0.999, 1e-8, 0, 0.1, 0.001));
        assertThrows(IllegalArgumentException.class,
                () -> CPU.adamw(p, p, p, p, 1e-3, 0.9, 0.999, 1e-8, 0, 0.0, 0.001));
        assertThrows(IllegalArgumentException.class,
                () -> CPU.adamw(p, p, p, p, 1e-3, 1.0, 0.999, 1e-8, 0, 0.1, 0.001));
    }
}
