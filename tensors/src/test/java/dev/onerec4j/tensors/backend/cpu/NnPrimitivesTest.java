package dev.onerec4j.tensors.backend.cpu;

import dev.onerec4j.tensors.DType;
import dev.onerec4j.tensors.Tensor;
import dev.onerec4j.tensors.backend.Backend;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static dev.onerec4j.tensors.testing.Allclose.assertAllclose;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Softmax, RMSNorm and cross-entropy primitives of the CPU backend, in F32 and F64, against double-precision
 * references on shapes with a single row, a single column, odd widths and enough rows to split over threads.
 */
class NnPrimitivesTest {

    private static final Backend CPU = CpuBackend.INSTANCE;
    static final int[][] SHAPES = {{1, 1}, {6, 1}, {1, 9}, {3, 17}, {4, 33}, {2, 3, 100}, {300, 67}, {7, 1031}};

    private static int rowsOf(int[] shape) {
        int rows = 1;
        for (int d = 0; d < shape.length - 1; d++) {
            rows *= shape[d];
        }
        return rows;
    }

    private static double maxAbs(double[] v) {
        return Arrays.stream(v).map(Math::abs).max().orElse(0);
    }

    private static double rtol(DType dt) {
        return dt == DType.F32 ? 1e-5 : 1e-12;
    }

    @Test
    void softmaxForwardAndBackward() {
        for (DType dt : new DType[] {DType.F32, DType.F64}) {
            for (int[] shape : SHAPES) {
                for (boolean log : new boolean[] {false, true}) {
                    int n = shape[shape.length - 1];
                    int rows = rowsOf(shape);
                    Tensor x = Tensor.randn(dt, 1 + shape.length, 3.0, shape);
                    Tensor y = Tensor.empty(dt, shape);
                    CPU.softmax(x, y, log);
                    Tensor g = Tensor.randn(dt, 99, 1.0, shape);
                    Tensor gx = Tensor.empty(dt, shape);
                    CPU.softmaxBackward(y, g, gx, log);
                    double[] xv = x.toDoubleArray();
                    double[] gv = g.toDoubleArray();
                    double[] yRef = new double[xv.length];
                    double[] gxRef = new double[xv.length];
                    for (int r = 0; r < rows; r++) {
                        int o = r * n;
                        double max = Double.NEGATIVE_INFINITY;
                        for (int i = 0; i < n; i++) {
                            max = Math.max(max, xv[o + i]);
                        }
                        double sum = 0;
                        for (int i = 0; i < n; i++) {
                            sum += Math.exp(xv[o + i] - max);
                        }
                        double dot = 0;
                        double gsum = 0;
                        for (int i = 0; i < n; i++) {
                            double p = Math.exp(xv[o + i] - max) / sum;
                            yRef[o + i] = log ? xv[o + i] - max - Math.log(sum) : p;
                            dot += gv[o + i] * p;
                            gsum += gv[o + i];
                        }
                        for (int i = 0; i < n; i++) {
                            double p = Math.exp(xv[o + i] - max) / sum;
                            gxRef[o + i] = log ? gv[o + i] - p * gsum : p * (gv[o + i] - dot);
                        }
                    }
                    String what = (log ? "logSoftmax " : "softmax ") + dt + " " + Arrays.toString(shape);
                    assertAllclose(what, yRef, y, rtol(dt), log ? 1e-6 : 1e-9);
                    assertAllclose(what + " backward", gxRef, gx, rtol(dt), 1e-6 * maxAbs(gxRef));
                }
            }
        }
    }

    @Test
    void rmsNormForwardAndBackward() {
        double eps = 1e-6;
        for (DType dt : new DType[] {DType.F32, DType.F64}) {
            for (int[] shape : SHAPES) {
                int n = shape[shape.length - 1];
                int rows = rowsOf(shape);
                Tensor x = Tensor.randn(dt, 3, 1.5, shape);
                Tensor w = Tensor.randn(dt, 4, 1.0, n);
                Tensor y = Tensor.empty(dt, shape);
                Tensor rstd = Tensor.empty(dt, rows);
                CPU.rmsNorm(x, w, eps, y, rstd);
                Tensor g = Tensor.randn(dt, 5, 1.0, shape);
                Tensor gx = Tensor.empty(dt, shape);
                Tensor gw = Tensor.zeros(dt, n);
                CPU.rmsNormBackward(x, w, rstd, g, gx, gw);
                double[] xv = x.toDoubleArray();
                double[] wv = w.toDoubleArray();
                double[] gv = g.toDoubleArray();
                double[] yRef = new double[xv.length];
                double[] rRef = new double[rows];
                double[] gxRef = new double[xv.length];
                double[] gwRef = new double[n];
                double termScale = 0;
                for (int r = 0; r < rows; r++) {
                    int o = r * n;
                    double ss = 0;
                    for (int i = 0; i < n; i++) {
                        ss += xv[o + i] * xv[o + i];
                    }
                    double rs = 1 / Math.sqrt(ss / n + eps);
                    rRef[r] = rs;
                    double dot = 0;
                    for (int i = 0; i < n; i++) {
                        yRef[o + i] = xv[o + i] * rs * wv[i];
                        dot += gv[o + i] * wv[i] * xv[o + i];
                        gwRef[i] += gv[o + i] * xv[o + i] * rs;
                    }
                    for (int i = 0; i < n; i++) {
                        gxRef[o + i] = rs * gv[o + i] * wv[i] - xv[o + i] * rs * rs * rs * dot / n;
                        termScale = Math.max(termScale, Math.abs(rs * gv[o + i] * wv[i]));
                    }
                }
                String what = "rmsNorm " + dt + " " + Arrays.toString(shape);
                assertAllclose(what, yRef, y, rtol(dt), 1e-7);
                assertAllclose(what + " rstd", rRef, rstd, rtol(dt), 0);
                assertAllclose(what + " dx", gxRef, gx, rtol(dt), 1e-6 * termScale);
                assertAllclose(what + " dw", gwRef, gw, rtol(dt), 1e-6 * maxAbs(gwRef));
            }
        }
    }

    @Test
    void rmsNormWeightGradientIsTheSameBitForBitOnEveryCall() {
        int[] shape = {2000, 48}; // several row blocks, folded in a fixed order
        Tensor x = Tensor.randn(DType.F32, 7, 1.0, shape);
        Tensor w = Tensor.randn(DType.F32, 8, 1.0, 48);
        Tensor y = Tensor.empty(DType.F32, shape);
        Tensor rstd = Tensor.empty(DType.F32, 2000);
        CPU.rmsNorm(x, w, 1e-5, y, rstd);
        Tensor g = Tensor.randn(DType.F32, 9, 1.0, shape);
        float[] first = null;
        for (int run = 0; run < 5; run++) {
            Tensor gw = Tensor.zeros(DType.F32, 48);
            CPU.rmsNormBackward(x, w, rstd, g, Tensor.empty(DType.F32, shape), gw);
            if (first == null) {
                first = gw.toFloatArray();
            } else {
                assertTrue(Arrays.equals(first, gw.toFloatArray()), "run " + run + " differs");
            }
        }
    }

    @Test
    void crossEntropyWithIgnoreIndexAndSmoothing() {
        Random random = new Random(7);
        for (DType dt : new DType[] {DType.F32, DType.F64}) {
            for (int[] shape : SHAPES) {
                for (double s : new double[] {0.0, 0.2}) {
                    int v = shape[shape.length - 1];
                    int rows = rowsOf(shape);
                    Tensor logits = Tensor.randn(dt, 11, 2.0, shape);
                    int[] t = new int[rows];
                    for (int r = 0; r < rows; r++) {
                        t[r] = r % 3 == 1 ? -100 : random.nextInt(v);
                    }
                    Tensor targets = Tensor.ofInts(t, rows);
                    Tensor loss = Tensor.empty(dt, rows);
                    Tensor grad = Tensor.full(dt, 42.0, shape); // ignored rows must be overwritten with 0
                    CPU.crossEntropy(logits, targets, -100, s, loss, grad);
                    double[] xv = logits.toDoubleArray();
                    double[] lossRef = new double[rows];
                    double[] gradRef = new double[xv.length];
                    for (int r = 0; r < rows; r++) {
                        if (t[r] == -100) {
                            continue;
                        }
                        int o = r * v;
                        double max = Double.NEGATIVE_INFINITY;
                        for (int i = 0; i < v; i++) {
                            max = Math.max(max, xv[o + i]);
                        }
                        double sum = 0;
                        for (int i = 0; i < v; i++) {
                            sum += Math.exp(xv[o + i] - max);
                        }
                        double lse = max + Math.log(sum);
                        double meanNll = 0;
                        for (int i = 0; i < v; i++) {
                            meanNll += (lse - xv[o + i]) / v;
                            gradRef[o + i] = Math.exp(xv[o + i] - lse) - s / v - (i == t[r] ? 1 - s : 0);
                        }
                        lossRef[r] = (1 - s) * (lse - xv[o + t[r]]) + s * meanNll;
                    }
                    String what = "crossEntropy " + dt + " " + Arrays.toString(shape) + " s=" + s;
                    assertAllclose(what, lossRef, loss, rtol(dt), 1e-6);
                    assertAllclose(what + " grad", gradRef, grad, rtol(dt), 1e-7);
                }
            }
        }
    }

    @Test
    void badOperandsAreRejectedWithTheirShapes() {
        Tensor logits = Tensor.zeros(DType.F32, 3, 5);
        Tensor loss = Tensor.empty(DType.F32, 3);
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
                () -> CPU.crossEntropy(logits, Tensor.ofInts(new int[] {0, 5, 1}, 3), -100, 0, loss, null));
        assertTrue(e.getMessage().contains("target 5") && e.getMessage().contains("5 classes"), e.getMessage());
        assertThrows(IndexOutOfBoundsException.class,
                () -> CPU.crossEntropy(logits, Tensor.ofInts(new int[] {0, -1, 1}, 3), -100, 0, loss, null));
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                () -> CPU.crossEntropy(logits, Tensor.ofInts(new int[] {0, 1}, 2), -100, 0, loss, null));
        assertTrue(shape.getMessage().contains("crossEntropy") && shape.getMessage().contains("[3, 5]"), shape.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> CPU.crossEntropy(logits, Tensor.ofInts(new int[] {0, 1, 2}, 3), -100, 1.5, loss, null));
        IllegalArgumentException weight = assertThrows(IllegalArgumentException.class,
                () -> CPU.rmsNorm(logits, Tensor.ones(DType.F32, 4), 1e-5, Tensor.empty(DType.F32, 3, 5),
                        Tensor.empty(DType.F32, 3)));
        assertTrue(weight.getMessage().contains("rmsNorm") && weight.getMessage().contains("[5]"), weight.getMessage());
        IllegalArgumentException strided = assertThrows(IllegalArgumentException.class,
                () -> CPU.softmax(logits.transpose(0, 1), Tensor.empty(DType.F32, 5, 3), false));
        assertTrue(strided.getMessage().contains("contiguous"), strided.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> CPU.softmax(Tensor.zeros(DType.BF16, 2, 2), Tensor.empty(DType.BF16, 2, 2), false));
    }
}
