package dev.onerec4j.tensors.ops;

import dev.onerec4j.kernels.BinaryOp;
import dev.onerec4j.kernels.UnaryOp;
import dev.onerec4j.tensors.Autograd;
import dev.onerec4j.tensors.DType;
import dev.onerec4j.tensors.Shapes;
import dev.onerec4j.tensors.Tensor;

/**
 * Element-wise arithmetic with numpy broadcasting, activations, and conditional selection. Gradients of
 * broadcast operands are summed back to the operand's shape.
 */
public final class Arith {

    private Arith() {
    }

    // ------------------------------------------------------------------ binary

    public static Tensor add(Tensor a, Tensor b) {
        Tensor out = binary(BinaryOp.ADD, a, b, "add");
        int[] as = a.shape();
        int[] bs = b.shape();
        return Autograd.record(out, "add", g -> new Tensor[] {Reduce.sumTo(g, as), Reduce.sumTo(g, bs)}, a, b);
    }

    public static Tensor sub(Tensor a, Tensor b) {
        Tensor out = binary(BinaryOp.SUB, a, b, "sub");
        int[] as = a.shape();
        int[] bs = b.shape();
        return Autograd.record(out, "sub", g -> new Tensor[] {Reduce.sumTo(g, as), Reduce.sumTo(neg(g), bs)}, a, b);
    }

    public static Tensor mul(Tensor a, Tensor b) {
        Tensor out = binary(BinaryOp.MUL, a, b, "mul");
        int[] as = a.shape();
        int[] bs = b.shape();
        return Autograd.record(out, "mul", g -> new Tensor[] {
                a.requiresGrad() ? Reduce.sumTo(mul(g, b), as) : null,
                b.requiresGrad() ? Reduce.sumTo(mul(g, a), bs) : null}, a, b);
    }

    public static Tensor div(Tensor a, Tensor b) {
        Tensor out = binary(BinaryOp.DIV, a, b, "div");
        int[] as = a.shape();
        int[] bs = b.shape();
        return Autograd.record(out, "div", g -> new Tensor[] {
                a.requiresGrad() ? Reduce.sumTo(div(g, b), as) : null,
                b.requiresGrad() ? Reduce.sumTo(neg(div(mul(g, out), b)), bs) : null}, a, b);
    }

    /** Element-wise maximum; at ties the gradient is split evenly. */
    public static Tensor maximum(Tensor a, Tensor b) {
        return extremum(BinaryOp.MAX, a, b, "maximum");
    }

    /** Element-wise minimum; at ties the gradient is split evenly. */
    public static Tensor minimum(Tensor a, Tensor b) {
        return extremum(BinaryOp.MIN, a, b, "minimum");
    }

    private static Tensor extremum(BinaryOp op, Tensor a, Tensor b, String name) {
        Tensor out = binary(op, a, b, name);
        int[] as = a.shape();
        int[] bs = b.shape();
        return Autograd.record(out, name, g -> {
            // share_a = 1 where a wins, 0.5 at a tie, 0 where b wins.
            Tensor aWins = op == BinaryOp.MAX ? binary(BinaryOp.GT, a, b, name) : binary(BinaryOp.GT, b, a, name);
            Tensor tie = binary(BinaryOp.EQ, a, b, name);
            Tensor shareA = add(aWins, scale(tie, 0.5));
            Tensor shareB = addScalar(neg(shareA), 1.0);
            return new Tensor[] {Reduce.sumTo(mul(g, shareA), as), Reduce.sumTo(mul(g, shareB), bs)};
        }, a, b);
    }

    /** {@code a} raised to the power {@code b} (element-wise; the gradient for b needs a > 0). */
    public static Tensor pow(Tensor a, Tensor b) {
        Tensor out = binary(BinaryOp.POW, a, b, "pow");
        int[] as = a.shape();
        int[] bs = b.shape();
        return Autograd.record(out, "pow", g -> new Tensor[] {
                a.requiresGrad() ? Reduce.sumTo(mul(g, mul(b, div(out, a))), as) : null,
                b.requiresGrad() ? Reduce.sumTo(mul(g, mul(out, log(a))), bs) : null}, a, b);
    }

    /** 1 where a == b else 0 (not differentiable). */
    public static Tensor eq(Tensor a, Tensor b) {
        return binary(BinaryOp.EQ, a, b, "eq");
    }

    /** 1 where a > b else 0 (not differentiable). */
    public static Tensor gt(Tensor a, Tensor b) {
        return binary(BinaryOp.GT, a, b, "gt");
    }

    /** Computes {@code op} over the broadcast shape of a and b, without recording. */
    static Tensor binary(BinaryOp op, Tensor a, Tensor b, String name) {
        Shapes.requireSameDevice(name, a, b);
        Shapes.requireSameDType(name, a, b);
        requireFloating(name, a);
        int[] shape = Shapes.broadcast(name, a.shape(), b.shape());
        Tensor out = Tensor.emptyLike(a, shape);
        a.backend().binary(op, Views.broadcastView(a, shape, name), Views.broadcastView(b, shape, name), out);
        return out;
    }

    // ------------------------------------------------------------------ scalar arithmetic

    /** {@code a * s}. */
    public static Tensor scale(Tensor a, double s) {
        return affine(a, s, 0.0);
    }

    /** {@code a + s}. */
    public static Tensor addScalar(Tensor a, double s) {
        return affine(a, 1.0, s);
    }

    /** {@code a * scale + shift}. */
    public static Tensor affine(Tensor a, double scale, double shift) {
        requireFloating("affine", a);
        Tensor out = Tensor.emptyLike(a, a.shape());
        a.backend().affine(a, scale, shift, out);
        return Autograd.record(out, "affine", g -> new Tensor[] {scale == 1.0 ? g : scale(g, scale)}, a);
    }

    // ------------------------------------------------------------------ unary

    public static Tensor neg(Tensor a) {
        Tensor out = unary(UnaryOp.NEG, a);
        return Autograd.record(out, "neg", g -> new Tensor[] {neg(g)}, a);
    }

    public static Tensor exp(Tensor a) {
        Tensor out = unary(UnaryOp.EXP, a);
        return Autograd.record(out, "exp", g -> new Tensor[] {mul(g, out)}, a);
    }

    public static Tensor log(Tensor a) {
        Tensor out = unary(UnaryOp.LOG, a);
        return Autograd.record(out, "log", g -> new Tensor[] {div(g, a)}, a);
    }

    public static Tensor sqrt(Tensor a) {
        Tensor out = unary(UnaryOp.SQRT, a);
        return Autograd.record(out, "sqrt", g -> new Tensor[] {div(scale(g, 0.5), out)}, a);
    }

    public static Tensor abs(Tensor a) {
        Tensor out = unary(UnaryOp.ABS, a);
        return Autograd.record(out, "abs", g -> new Tensor[] {mul(g, unary(UnaryOp.SIGN, a))}, a);
    }

    public static Tensor square(Tensor a) {
        Tensor out = unary(UnaryOp.SQUARE, a);
        return Autograd.record(out, "square", g -> new Tensor[] {mul(g, scale(a, 2.0))}, a);
    }

    public static Tensor reciprocal(Tensor a) {
        Tensor out = unary(UnaryOp.RECIPROCAL, a);
        return Autograd.record(out, "reciprocal", g -> new Tensor[] {neg(mul(g, square(out)))}, a);
    }

    public static Tensor sigmoid(Tensor a) {
        Tensor out = unary(UnaryOp.SIGMOID, a);
        return Autograd.record(out, "sigmoid", g -> new Tensor[] {binary(BinaryOp.SIGMOID_GRAD, out, g, "sigmoid")}, a);
    }

    public static Tensor tanh(Tensor a) {
        Tensor out = unary(UnaryOp.TANH, a);
        return Autograd.record(out, "tanh", g -> new Tensor[] {binary(BinaryOp.TANH_GRAD, out, g, "tanh")}, a);
    }

    public static Tensor relu(Tensor a) {
        Tensor out = unary(UnaryOp.RELU, a);
        return Autograd.record(out, "relu", g -> new Tensor[] {binary(BinaryOp.RELU_GRAD, a, g, "relu")}, a);
    }

    public static Tensor silu(Tensor a) {
        Tensor out = unary(UnaryOp.SILU, a);
        return Autograd.record(out, "silu", g -> new Tensor[] {binary(BinaryOp.SILU_GRAD, a, g, "silu")}, a);
    }

    /** GELU with the tanh approximation. */
    public static Tensor gelu(Tensor a) {
        Tensor out = unary(UnaryOp.GELU, a);
        return Autograd.record(out, "gelu", g -> new Tensor[] {binary(BinaryOp.GELU_GRAD, a, g, "gelu")}, a);
    }

    /** {@code silu(gate) * up}, fused: the SwiGLU activation. */
    public static Tensor swiglu(Tensor gate, Tensor up) {
        Shapes.requireSame("swiglu", gate.shape(), up.shape());
        Tensor out = binary(BinaryOp.SWIGLU, gate, up, "swiglu");
        return Autograd.record(out, "swiglu", g -> new Tensor[] {
                gate.requiresGrad() ? binary(BinaryOp.SILU_GRAD, gate, mul(g, up), "swiglu") : null,
                up.requiresGrad() ? mul(g, unary(UnaryOp.SILU, gate)) : null}, gate, up);
    }

    static Tensor unary(UnaryOp op, Tensor a) {
        requireFloating("unary " + op, a);
        Tensor out = Tensor.emptyLike(a, a.shape());
        a.backend().unary(op, a, out);
        return out;
    }

    // ------------------------------------------------------------------ selection

    /** {@code cond != 0 ? a : b}, broadcasting all three; {@code cond} is I32. */
    public static Tensor where(Tensor cond, Tensor a, Tensor b) {
        if (cond.dtype() != DType.I32) {
            throw new IllegalArgumentException("where: the condition must be an I32 tensor, got " + cond.dtype());
        }
        Shapes.requireSameDType("where", a, b);
        int[] shape = Shapes.broadcast("where", Shapes.broadcast("where", cond.shape(), a.shape()), b.shape());
        Tensor out = Tensor.emptyLike(a, shape);
        a.backend().where(Views.broadcastView(cond, shape, "where"), Views.broadcastView(a, shape, "where"),
                Views.broadcastView(b, shape, "where"), out);
        int[] as = a.shape();
        int[] bs = b.shape();
        return Autograd.record(out, "where", g -> {
            Tensor zero = Tensor.zerosLike(g);
            return new Tensor[] {
                    a.requiresGrad() ? Reduce.sumTo(where(cond, g, zero), as) : null,
                    b.requiresGrad() ? Reduce.sumTo(where(cond, zero, g), bs) : null};
        }, a, b);
    }

    /** {@code a} with {@code value} wherever {@code mask != 0} (mask is I32 and broadcasts to a). */
    public static Tensor maskedFill(Tensor a, Tensor mask, double value) {
        Tensor fill = Tensor.full(a.dtype(), value);
        if (a.device() != fill.device()) {
            fill = fill.to(a.device());
        }
        return where(mask, fill, a);
    }

    static void requireFloating(String op, Tensor t) {
        if (t.dtype() != DType.F32 && t.dtype() != DType.F64) {
            throw new IllegalArgumentException(op + ": needs F32 or F64 operands, got " + t.dtype()
                    + (t.dtype() == DType.BF16 ? " (BF16 is a storage and matmul-input type: cast with to(F32))" : ""));
        }
    }
}
