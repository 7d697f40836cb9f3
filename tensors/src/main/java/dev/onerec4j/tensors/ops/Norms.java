package dev.onerec4j.tensors.ops;

import dev.onerec4j.tensors.Autograd;
import dev.onerec4j.tensors.Shapes;
import dev.onerec4j.tensors.Tensor;

/** Normalisation layers' functional forms. */
public final class Norms {

    private Norms() {
    }

    /**
     * RMSNorm over the last axis: {@code x / sqrt(mean(x^2) + eps) * weight}, with {@code x [..., d]} and
     * {@code weight [d]} of the same dtype. Differentiable in both.
     */
    public static Tensor rmsNorm(Tensor x, Tensor weight, double eps) {
        Arith.requireFloating("rmsNorm", x);
        Shapes.requireSameDType("rmsNorm", x, weight);
        Shapes.requireSameDevice("rmsNorm", x, weight);
        if (x.rank() == 0) {
            throw new IllegalArgumentException("rmsNorm: the input needs a feature axis, got a scalar");
        }
        int d = x.dim(-1);
        if (weight.rank() != 1 || weight.dim(0) != d) {
            throw new IllegalArgumentException("rmsNorm: the weight must have shape [" + d + "] to match the input "
                    + Shapes.str(x.shape()) + ", got " + Shapes.str(weight.shape()));
        }
        if (!(eps >= 0) || Double.isInfinite(eps)) {
            throw new IllegalArgumentException("rmsNorm: eps must be a finite number >= 0, got " + eps);
        }
        Tensor xc = Raw.contiguous(x);
        Tensor wc = Raw.contiguous(weight);
        Tensor out = Tensor.emptyLike(x, x.shape());
        Tensor rstd = Tensor.emptyLike(x, Raw.rowCount(x));
        x.backend().rmsNorm(xc, wc, eps, out, rstd);
        return Autograd.record(out, "rmsNorm", g -> {
            Tensor gx = Tensor.emptyLike(xc, xc.shape());
            Tensor gw = Tensor.zerosLike(wc);
            xc.backend().rmsNormBackward(xc, wc, rstd, Raw.contiguous(g), gx, gw);
            return new Tensor[] {x.requiresGrad() ? gx : null, weight.requiresGrad() ? gw : null};
        }, x, weight);
    }
}
