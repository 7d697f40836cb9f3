package dev.onerec4j.tensors.ops;

import dev.onerec4j.tensors.Tensor;
import dev.onerec4j.tensors.testing.GradCheck;
import org.junit.jupiter.api.Test;

import static dev.onerec4j.tensors.testing.GradCheck.input;

/** Finite-difference gradient checks of the element-wise and reduction ops, broadcasting included. */
class ArithReduceGradTest {

    @Test
    void binaryOpsWithBroadcasting() {
        GradCheck.check("add", x -> Arith.add(x[0], x[1]), input(1, 3, 4), input(2, 4));
        GradCheck.check("sub", x -> Arith.sub(x[0], x[1]), input(3, 2, 1, 5), input(4, 3, 1));
        GradCheck.check("mul", x -> Arith.mul(x[0], x[1]), input(5, 3, 5), input(6, 3, 1));
        Tensor denom = Arith.addScalar(Arith.abs(Tensor.randn(dev.onerec4j.tensors.DType.F64, 7, 1.0, 5)), 0.5).detach()
                .requiresGrad(true);
        GradCheck.check("div", x -> Arith.div(x[0], x[1]), input(8, 2, 5), denom);
        GradCheck.check("maximum", x -> Arith.maximum(x[0], x[1]), input(9, 4, 3), input(10, 4, 3));
        GradCheck.check("minimum", x -> Arith.minimum(x[0], x[1]), input(11, 4, 3), input(12, 3));
    }

    @Test
    void unaryOps() {
        GradCheck.check("neg", x -> Arith.neg(x[0]), input(20, 7));
        GradCheck.check("exp", x -> Arith.exp(x[0]), input(21, 7));
        GradCheck.check("square", x -> Arith.square(x[0]), input(22, 7));
        GradCheck.check("sigmoid", x -> Arith.sigmoid(x[0]), input(23, 3, 5));
        GradCheck.check("tanh", x -> Arith.tanh(x[0]), input(24, 3, 5));
        GradCheck.check("silu", x -> Arith.silu(x[0]), input(25, 3, 5));
        GradCheck.check("gelu", x -> Arith.gelu(x[0]), input(26, 3, 5));
        GradCheck.check("relu", x -> Arith.relu(x[0]), input(27, 3, 5));
        GradCheck.check("swiglu", x -> Arith.swiglu(x[0], x[1]), input(28, 3, 5), input(29, 3, 5));
        GradCheck.check("affine", x -> Arith.affine(x[0], -1.5, 0.25), input(30, 4));
        Tensor positive = Arith.addScalar(Arith.abs(Tensor.randn(dev.onerec4j.tensors.DType.F64, 31, 1.0, 6)), 0.3)
                .detach().requiresGrad(true);
        GradCheck.check("log", x -> Arith.log(x[0]), positive);
        GradCheck.check("sqrt", x -> Arith.sqrt(x[0]), positive);
        GradCheck.check("reciprocal", x -> Arith.reciprocal(x[0]), positive);
        GradCheck.check("pow", x -> Arith.pow(x[0], x[1]), positive, input(32, 6));
    }

    @Test
    void whereAndMaskedFill() {
        Tensor cond = Tensor.ofInts(new int[] {1, 0, 1, 0, 0, 1}, 2, 3);
        GradCheck.check("where", x -> Arith.where(cond, x[0], x[1]), input(40, 2, 3), input(41, 3));
        Tensor mask = Tensor.ofInts(new int[] {0, 1, 1}, 3);
        GradCheck.check("maskedFill", x -> Arith.maskedFill(x[0], mask, -7.0), input(42, 2, 3));
    }

    @Test
    void reductions() {
        GradCheck.check("sum all", x -> Reduce.sum(x[0]), input(50, 3, 4));
        GradCheck.check("sum axis", x -> Reduce.sum(x[0], 1, false), input(51, 3, 4, 2));
        GradCheck.check("sum axes keep", x -> Reduce.sum(x[0], new int[] {0, 2}, true), input(52, 3, 4, 2));
        GradCheck.check("mean", x -> Reduce.mean(x[0], -1, false), input(53, 5, 3));
        GradCheck.check("max", x -> Reduce.max(x[0], 1, false), input(54, 4, 6));
        GradCheck.check("min keep", x -> Reduce.min(x[0], 0, true), input(55, 4, 6));
        GradCheck.check("sum non-adjacent axes", x -> Reduce.sum(x[0], new int[] {0, 2}, false), input(56, 2, 3, 4, 5));
    }

    @Test
    void viewsAreDifferentiable() {
        GradCheck.check("transpose+reshape", x -> x[0].transpose(0, 1).reshape(-1), input(60, 3, 4));
        GradCheck.check("permute", x -> Arith.mul(x[0].permute(2, 0, 1), x[0].permute(2, 0, 1)), input(61, 2, 3, 4));
        GradCheck.check("slice", x -> x[0].slice(1, 1, 3), input(62, 3, 4));
        GradCheck.check("select", x -> x[0].select(0, 2), input(63, 3, 4));
        GradCheck.check("expand", x -> x[0].expand(3, 4, 5), input(64, 4, 1));
        GradCheck.check("unsqueeze/squeeze", x -> x[0].unsqueeze(1).squeeze(1), input(65, 3, 2));
    }
}
