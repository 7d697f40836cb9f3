package dev.onerec4j.tensors.ops;

import dev.onerec4j.tensors.DType;
import dev.onerec4j.tensors.Tensor;
import dev.onerec4j.tensors.testing.GradCheck;
import org.junit.jupiter.api.Test;

import static dev.onerec4j.tensors.testing.Allclose.assertAllclose;
import static dev.onerec4j.tensors.testing.GradCheck.input;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Finite-difference gradient checks (F64) and forward checks of activations, RMSNorm and the losses. */
class NnOpsGradTest {

    @Test
    void softmaxAndLogSoftmax() {
        GradCheck.check("softmax", x -> Activations.softmax(x[0]), input(1, 3, 7));
        GradCheck.check("logSoftmax", x -> Activations.logSoftmax(x[0]), input(2, 2, 3, 5));
        GradCheck.check("softmax of a strided view", x -> Activations.softmax(x[0].transpose(0, 1)), input(3, 4, 3));
        GradCheck.check("logSoftmax single column", x -> Activations.logSoftmax(x[0]), input(4, 5, 1));
        // The forward of huge logits stays finite and sums to one.
        Tensor big = Tensor.of(new double[] {1000, 1001, 999, -1000}, 1, 4);
        Tensor p = Activations.softmax(big);
        double e = Math.exp(-1);
        double z = 1 + e + e * e;
        assertAllclose("softmax of large logits", new double[] {e / z, 1 / z, e * e / z, 0}, p, 1e-12, 1e-300);
        assertAllclose("logSoftmax of large logits", new double[] {-1 - Math.log(z), -Math.log(z), -2 - Math.log(z),
                -2001 - Math.log(z)}, Activations.logSoftmax(big), 1e-12, 0);
    }

    @Test
    void dropout() {
        GradCheck.check("dropout", x -> Activations.dropout(x[0], 0.4, 7, true), input(10, 6, 9));
        Tensor x = Tensor.ones(DType.F64, 1000);
        Tensor y = Activations.dropout(x, 0.5, 7, true);
        long kept = 0;
        for (double v : y.toDoubleArray()) {
            assertTrue(v == 0 || v == 2, "kept values are scaled by 1/(1-p), got " + v);
            kept += v == 2 ? 1 : 0;
        }
        assertTrue(kept > 400 && kept < 600, "about half kept: " + kept);
        assertAllclose("same seed, same mask", y, Activations.dropout(x, 0.5, 7, true), 0, 0);
        assertSame(x, Activations.dropout(x, 0.5, 7, false), "identity outside training");
        assertThrows(IllegalArgumentException.class, () -> Activations.dropout(x, -0.1, 7, true));
    }

    @Test
    void rmsNormGradientsForInputAndWeight() {
        GradCheck.check("rmsNorm", x -> Norms.rmsNorm(x[0], x[1], 1e-5), input(20, 4, 6), input(21, 6));
        GradCheck.check("rmsNorm rank 3", x -> Norms.rmsNorm(x[0], x[1], 1e-3), input(22, 2, 3, 5), input(23, 5));
        GradCheck.check("rmsNorm width 1", x -> Norms.rmsNorm(x[0], x[1], 1e-2), input(24, 3, 1), input(25, 1));
        Tensor w = Tensor.ones(DType.F64, 4).requiresGrad(true);
        GradCheck.check("rmsNorm input only", x -> Norms.rmsNorm(x[0], w.detach(), 1e-5), input(26, 3, 4));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Norms.rmsNorm(Tensor.zeros(DType.F64, 2, 4), Tensor.ones(DType.F64, 3), 1e-5));
        assertTrue(e.getMessage().contains("rmsNorm") && e.getMessage().contains("[4]")
                && e.getMessage().contains("[2, 4]"), e.getMessage());
    }

    @Test
    void crossEntropyWithIgnoreIndexAndSmoothing() {
        Tensor targets = Tensor.ofInts(new int[] {2, -100, 0, 4, 4, -100}, 2, 3);
        GradCheck.check("crossEntropy mean", x -> Losses.crossEntropy(x[0], targets, -100, 0.0), input(30, 2, 3, 5));
        GradCheck.check("crossEntropy smoothed", x -> Losses.crossEntropy(x[0], targets, -100, 0.1), input(31, 2, 3, 5));
        GradCheck.check("crossEntropy per position", x -> Losses.crossEntropyPerPosition(x[0], targets, -100, 0.3),
                input(32, 2, 3, 5));
        GradCheck.check("crossEntropy single row", x -> Losses.crossEntropy(x[0], Tensor.ofInts(new int[] {1})),
                input(33, 3));

        // The mean counts only the positions that are not ignored.
        Tensor logits = Tensor.randn(DType.F64, 34, 1.0, 2, 3, 5);
        double[] per = Losses.crossEntropyPerPosition(logits, targets, -100, 0.1).toDoubleArray();
        assertEquals(0.0, per[1]);
        assertEquals(0.0, per[5]);
        double sum = 0;
        for (double v : per) {
            sum += v;
        }
        assertEquals(sum / 4, Losses.crossEntropy(logits, targets, -100, 0.1).item(), 1e-12);
        // Definition check at one position: (1 - s) * nll(target) + s * mean nll.
        double[] logp = Activations.logSoftmax(logits).toDoubleArray();
        double mean = 0;
        for (int j = 0; j < 5; j++) {
            mean -= logp[15 + j] / 5;
        }
        assertEquals(0.9 * -logp[15 + 4] + 0.1 * mean, per[3], 1e-12);

        Tensor allIgnored = Tensor.ofInts(new int[] {-100, -100}, 2);
        Tensor x = Tensor.randn(DType.F64, 35, 1.0, 2, 5).requiresGrad(true);
        Tensor loss = Losses.crossEntropy(x, allIgnored, -100, 0.0);
        assertEquals(0.0, loss.item());
        loss.backward();
        assertAllclose("no gradient when all positions are ignored", new double[10], x.grad(), 0, 0);

        IndexOutOfBoundsException bad = assertThrows(IndexOutOfBoundsException.class,
                () -> Losses.crossEntropy(logits, Tensor.ofInts(new int[] {0, 1, 5, 0, 0, 0}, 2, 3), -100, 0));
        assertTrue(bad.getMessage().contains("target 5") && bad.getMessage().contains("[2, 3, 5]"), bad.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> Losses.crossEntropy(logits, targets),
                "without an ignore index, -100 is an out-of-range target");
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                () -> Losses.crossEntropy(logits, Tensor.ofInts(new int[] {0, 1}, 2), -100, 0));
        assertTrue(shape.getMessage().contains("[2, 3]"), shape.getMessage());
    }

    @Test
    void binaryCrossEntropyWithLogitsAndMse() {
        Tensor targets = Tensor.rand(DType.F64, 40, 0, 1, 3, 4).requiresGrad(true);
        Tensor weights = Tensor.rand(DType.F64, 41, 0.5, 2, 4).requiresGrad(true);
        GradCheck.check("bce", x -> Losses.binaryCrossEntropyWithLogits(x[0], x[1], null), input(42, 3, 4), targets);
        GradCheck.check("bce weighted per element",
                x -> Losses.binaryCrossEntropyWithLogitsPerElement(x[0], x[1], x[2]), input(43, 3, 4), targets, weights);
        GradCheck.check("mse", x -> Losses.mse(x[0], x[1]), input(44, 5, 2), input(45, 5, 2));

        // Stable for confident logits: matches the textbook form where that form is finite, and stays finite.
        Tensor x = Tensor.of(new double[] {-800, -3, 0, 2.5, 800}, 5);
        Tensor t = Tensor.of(new double[] {1, 0, 1, 1, 0}, 5);
        double[] loss = Losses.binaryCrossEntropyWithLogitsPerElement(x, t, null).toDoubleArray();
        double[] xv = x.toDoubleArray();
        double[] tv = t.toDoubleArray();
        for (int i = 1; i < 4; i++) {
            double s = 1 / (1 + Math.exp(-xv[i]));
            assertEquals(-(tv[i] * Math.log(s) + (1 - tv[i]) * Math.log(1 - s)), loss[i], 1e-12, "element " + i);
        }
        assertEquals(800, loss[0], 1e-9);
        assertEquals(800, loss[4], 1e-9);
        assertThrows(IllegalArgumentException.class,
                () -> Losses.binaryCrossEntropyWithLogits(x, Tensor.zeros(DType.F64, 4), null));
        assertThrows(IllegalArgumentException.class, () -> Losses.mse(x, Tensor.zeros(DType.F64, 5, 1)));
    }

    @Test
    void f32OpsAgreeWithF64() {
        Tensor x64 = Tensor.randn(DType.F64, 50, 2.0, 7, 37);
        Tensor x32 = x64.to(DType.F32);
        assertAllclose("softmax F32", Activations.softmax(x64), Activations.softmax(x32).to(DType.F64), 1e-5, 1e-8);
        Tensor w64 = Tensor.randn(DType.F64, 51, 1.0, 37);
        assertAllclose("rmsNorm F32", Norms.rmsNorm(x64, w64, 1e-5), Norms.rmsNorm(x32, w64.to(DType.F32), 1e-5)
                .to(DType.F64), 1e-5, 1e-6);
        Tensor targets = Tensor.ofInts(new int[] {0, 3, 36, 5, -1, 2, 9}, 7);
        assertEquals(Losses.crossEntropy(x64, targets, -1, 0.1).item(), Losses.crossEntropy(x32, targets, -1, 0.1).item(),
                1e-5);
        assertNull(Losses.crossEntropy(x32, targets, -1, 0.1).gradFn(), "no graph without inputs that need grad");
    }
}
