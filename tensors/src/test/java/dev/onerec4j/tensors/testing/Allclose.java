package dev.onerec4j.tensors.testing;

import dev.onerec4j.tensors.Tensor;

import java.util.Arrays;

/** {@code |actual - expected| <= atol + rtol * |expected|} element-wise, with a message naming the first miss. */
public final class Allclose {

    /** FP32 kernels against a double reference. */
    public static final double F32_RTOL = 1e-5;
    /** BF16 inputs against a double reference. */
    public static final double BF16_RTOL = 1e-2;

    private Allclose() {
    }

    public static void assertAllclose(String what, double[] expected, double[] actual, double rtol, double atol) {
        if (expected.length != actual.length) {
            throw new AssertionError(what + ": expected " + expected.length + " values, got " + actual.length);
        }
        int bad = 0;
        int first = -1;
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i];
            double a = actual[i];
            double tol = atol + rtol * Math.abs(e);
            double diff = Math.abs(a - e);
            boolean ok = diff <= tol || (Double.isNaN(e) && Double.isNaN(a)) || (e == a);
            if (!ok) {
                bad++;
                if (first < 0) {
                    first = i;
                }
                worst = Math.max(worst, diff / Math.max(tol, 1e-300));
            }
        }
        if (bad > 0) {
            throw new AssertionError(what + ": " + bad + " of " + expected.length + " elements differ (rtol " + rtol
                    + ", atol " + atol + "); first at " + first + ": expected " + expected[first] + ", got "
                    + actual[first] + "; worst miss " + String.format("%.3g", worst) + "x the tolerance");
        }
    }

    public static void assertAllclose(String what, double[] expected, Tensor actual, double rtol, double atol) {
        assertAllclose(what, expected, actual.toDoubleArray(), rtol, atol);
    }

    public static void assertAllclose(String what, Tensor expected, Tensor actual, double rtol, double atol) {
        if (!Arrays.equals(expected.shape(), actual.shape())) {
            throw new AssertionError(what + ": shape " + Arrays.toString(actual.shape()) + ", expected "
                    + Arrays.toString(expected.shape()));
        }
        assertAllclose(what, expected.toDoubleArray(), actual.toDoubleArray(), rtol, atol);
    }
}
