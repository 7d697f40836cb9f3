package dev.onerec4j.tensors.testing;

import dev.onerec4j.tensors.DType;
import dev.onerec4j.tensors.GradMode;
import dev.onerec4j.tensors.Tensor;
import dev.onerec4j.tensors.ops.Arith;
import dev.onerec4j.tensors.ops.Reduce;

import java.util.function.Function;

/**
 * Finite-difference gradient checks in double precision. The function's output is contracted with a fixed
 * random tensor {@code R}, so the check covers the full vector-Jacobian product: the analytic gradient of
 * {@code sum(f(x) * R)} from backward is compared with central differences, element by element, by the
 * symmetric relative error {@code |a - n| / max(|a| + |n|, 1e-6)}.
 */
public final class GradCheck {

    public static final double DEFAULT_TOLERANCE = 1e-3;
    private static final double EPS = 1e-6;

    private GradCheck() {
    }

    /** Checks every input that requires grad; inputs must be F64. Returns the worst error seen. */
    public static double check(String name, Function<Tensor[], Tensor> f, Tensor... inputs) {
        return check(name, DEFAULT_TOLERANCE, f, inputs);
    }

    public static double check(String name, double tolerance, Function<Tensor[], Tensor> f, Tensor... inputs) {
        for (Tensor t : inputs) {
            if (t.requiresGrad() && t.dtype() != DType.F64) {
                throw new IllegalArgumentException(name + ": gradient checks run in F64, got " + t.dtype());
            }
            if (t.requiresGrad()) {
                t.setGrad(null);
            }
        }
        Tensor out = f.apply(inputs);
        Tensor r = Tensor.randn(DType.F64, 12345, 1.0, out.shape());
        Tensor loss = Reduce.sum(Arith.mul(out, r));
        loss.backward();
        double worst = 0;
        for (int i = 0; i < inputs.length; i++) {
            Tensor x = inputs[i];
            if (!x.requiresGrad()) {
                continue;
            }
            double[] analytic = x.grad() == null ? new double[(int) x.numel()] : x.grad().toDoubleArray();
            for (int j = 0; j < x.numel(); j++) {
                double v = x.getFlat(j);
                double plus;
                double minus;
                try (var g = GradMode.disabled()) {
                    x.setFlat(j, v + EPS);
                    plus = contract(f.apply(inputs), r);
                    x.setFlat(j, v - EPS);
                    minus = contract(f.apply(inputs), r);
                    x.setFlat(j, v);
                }
                double numeric = (plus - minus) / (2 * EPS);
                double a = analytic[j];
                double err = Math.abs(a - numeric) / Math.max(Math.abs(a) + Math.abs(numeric), 1e-6);
                if (err > tolerance) {
                    throw new AssertionError(name + ": gradient of input " + i + " element " + j + " is " + a
                            + " but finite differences give " + numeric + " (symmetric relative error "
                            + String.format("%.3g", err) + " > " + tolerance + ")");
                }
                worst = Math.max(worst, err);
            }
        }
        return worst;
    }

    private static double contract(Tensor out, Tensor r) {
        double[] o = out.toDoubleArray();
        double[] w = r.toDoubleArray();
        double s = 0;
        for (int i = 0; i < o.length; i++) {
            s += o[i] * w[i];
        }
        return s;
    }

    /** A random F64 tensor that requires grad. */
    public static Tensor input(long seed, int... shape) {
        return Tensor.randn(DType.F64, seed, 1.0, shape).requiresGrad(true);
    }
}
