package dev.onerec4j.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Element-wise kernels over one run of {@code n} elements. Offsets and strides count elements. An operand
 * stride of 1 is a contiguous run, 0 a broadcast scalar; any other stride takes the scalar path. F32 runs are
 * vectorised with the preferred species; F64 runs are scalar (they serve gradient checks and references).
 */
public final class ElementwiseKernels {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final ByteOrder NO = ByteOrder.nativeOrder();
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT;
    private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE;
    private static final double SQRT_2_OVER_PI = Math.sqrt(2.0 / Math.PI);

    private ElementwiseKernels() {
    }

    // ------------------------------------------------------------------ binary

    /** {@code out[i] = op(a[i * sa], b[i * sb])} in F32; {@code out} is contiguous from {@code o}. */
    public static void binaryF32(BinaryOp op, MemorySegment a, long ao, long sa, MemorySegment b, long bo, long sb,
                                 MemorySegment out, long o, int n) {
        boolean vectorisable = (sa == 0 || sa == 1) && (sb == 0 || sb == 1);
        int i = 0;
        if (vectorisable) {
            i = switch (op) {
                case ADD, SUB, MUL, DIV, MAX, MIN -> arithmeticF32(op, a, ao, sa, b, bo, sb, out, o, n);
                case SWIGLU, SILU_GRAD -> siluFamilyF32(op, a, ao, sa, b, bo, sb, out, o, n);
                default -> 0;
            };
        }
        for (; i < n; i++) {
            float x = a.getAtIndex(F, ao + i * sa);
            float y = b.getAtIndex(F, bo + i * sb);
            out.setAtIndex(F, o + i, (float) binaryScalar(op, x, y));
        }
    }

    private static int arithmeticF32(BinaryOp op, MemorySegment a, long ao, long sa, MemorySegment b, long bo,
                                     long sb, MemorySegment out, long o, int n) {
        FloatVector ca = sa == 0 ? FloatVector.broadcast(S, a.getAtIndex(F, ao)) : null;
        FloatVector cb = sb == 0 ? FloatVector.broadcast(S, b.getAtIndex(F, bo)) : null;
        int bound = S.loopBound(n);
        int i = 0;
        switch (op) {
            case ADD -> {
                for (; i < bound; i += L) {
                    load(a, ao, sa, ca, i).add(load(b, bo, sb, cb, i)).intoMemorySegment(out, (o + i) * 4, NO);
                }
            }
            case SUB -> {
                for (; i < bound; i += L) {
                    load(a, ao, sa, ca, i).sub(load(b, bo, sb, cb, i)).intoMemorySegment(out, (o + i) * 4, NO);
                }
            }
            case MUL -> {
                for (; i < bound; i += L) {
                    load(a, ao, sa, ca, i).mul(load(b, bo, sb, cb, i)).intoMemorySegment(out, (o + i) * 4, NO);
                }
            }
            case DIV -> {
                for (; i < bound; i += L) {
                    load(a, ao, sa, ca, i).div(load(b, bo, sb, cb, i)).intoMemorySegment(out, (o + i) * 4, NO);
                }
            }
            case MAX -> {
                for (; i < bound; i += L) {
                    load(a, ao, sa, ca, i).max(load(b, bo, sb, cb, i)).intoMemorySegment(out, (o + i) * 4, NO);
                }
            }
            case MIN -> {
                for (; i < bound; i += L) {
                    load(a, ao, sa, ca, i).min(load(b, bo, sb, cb, i)).intoMemorySegment(out, (o + i) * 4, NO);
                }
            }
            default -> throw new IllegalArgumentException("not an arithmetic op: " + op);
        }
        return i;
    }

    private static int siluFamilyF32(BinaryOp op, MemorySegment a, long ao, long sa, MemorySegment b, long bo,
                                     long sb, MemorySegment out, long o, int n) {
        FloatVector ca = sa == 0 ? FloatVector.broadcast(S, a.getAtIndex(F, ao)) : null;
        FloatVector cb = sb == 0 ? FloatVector.broadcast(S, b.getAtIndex(F, bo)) : null;
        FloatVector one = FloatVector.broadcast(S, 1f);
        int bound = S.loopBound(n);
        int i = 0;
        for (; i < bound; i += L) {
            FloatVector x = load(a, ao, sa, ca, i);
            FloatVector g = load(b, bo, sb, cb, i);
            FloatVector sig = one.div(one.add(x.neg().lanewise(VectorOperators.EXP)));
            FloatVector r = op == BinaryOp.SWIGLU
                    ? x.mul(sig).mul(g)
                    // silu'(x) = sig * (1 + x * (1 - sig))
                    : g.mul(sig.mul(one.add(x.mul(one.sub(sig)))));
            r.intoMemorySegment(out, (o + i) * 4, NO);
        }
        return i;
    }

    private static FloatVector load(MemorySegment s, long off, long stride, FloatVector broadcast, int i) {
        return stride == 0 ? broadcast : FloatVector.fromMemorySegment(S, s, (off + i) * 4, NO);
    }

    /** {@code out[i] = op(a[i * sa], b[i * sb])} in F64. */
    public static void binaryF64(BinaryOp op, MemorySegment a, long ao, long sa, MemorySegment b, long bo, long sb,
                                 MemorySegment out, long o, int n) {
        for (int i = 0; i < n; i++) {
            double x = a.getAtIndex(D, ao + i * sa);
            double y = b.getAtIndex(D, bo + i * sb);
            out.setAtIndex(D, o + i, binaryScalar(op, x, y));
        }
    }

    /** The scalar definition of every binary op, in double precision (also the reference for tests). */
    public static double binaryScalar(BinaryOp op, double x, double y) {
        return switch (op) {
            case ADD -> x + y;
            case SUB -> x - y;
            case MUL -> x * y;
            case DIV -> x / y;
            case MAX -> Math.max(x, y);
            case MIN -> Math.min(x, y);
            case POW -> Math.pow(x, y);
            case EQ -> x == y ? 1 : 0;
            case GT -> x > y ? 1 : 0;
            case SWIGLU -> x * sigmoid(x) * y;
            case SILU_GRAD -> {
                double s = sigmoid(x);
                yield y * s * (1 + x * (1 - s));
            }
            case RELU_GRAD -> x > 0 ? y : 0;
            case GELU_GRAD -> y * geluDerivative(x);
            case TANH_GRAD -> y * (1 - x * x);
            case SIGMOID_GRAD -> y * x * (1 - x);
        };
    }

    // ------------------------------------------------------------------ unary

    /** {@code out[i] = op(a[i * sa])} in F32; {@code out} is contiguous from {@code o}. */
    public static void unaryF32(UnaryOp op, MemorySegment a, long ao, long sa, MemorySegment out, long o, int n) {
        int i = 0;
        if (sa == 1) {
            i = unaryVectorF32(op, a, ao, out, o, n);
        }
        for (; i < n; i++) {
            out.setAtIndex(F, o + i, (float) unaryScalar(op, a.getAtIndex(F, ao + i * sa)));
        }
    }

    private static int unaryVectorF32(UnaryOp op, MemorySegment a, long ao, MemorySegment out, long o, int n) {
        int bound = S.loopBound(n);
        FloatVector one = FloatVector.broadcast(S, 1f);
        FloatVector zero = FloatVector.zero(S);
        int i = 0;
        for (; i < bound; i += L) {
            FloatVector x = FloatVector.fromMemorySegment(S, a, (ao + i) * 4, NO);
            FloatVector r = switch (op) {
                case NEG -> x.neg();
                case EXP -> x.lanewise(VectorOperators.EXP);
                case LOG -> x.lanewise(VectorOperators.LOG);
                case SQRT -> x.sqrt();
                case ABS -> x.abs();
                case SQUARE -> x.mul(x);
                case RECIPROCAL -> one.div(x);
                case SIGMOID -> one.div(one.add(x.neg().lanewise(VectorOperators.EXP)));
                case TANH -> x.lanewise(VectorOperators.TANH);
                case RELU -> x.max(zero);
                case SILU -> x.div(one.add(x.neg().lanewise(VectorOperators.EXP)));
                default -> null;
            };
            if (r == null) {
                return i;
            }
            r.intoMemorySegment(out, (o + i) * 4, NO);
        }
        return i;
    }

    /** {@code out[i] = op(a[i * sa])} in F64. */
    public static void unaryF64(UnaryOp op, MemorySegment a, long ao, long sa, MemorySegment out, long o, int n) {
        for (int i = 0; i < n; i++) {
            out.setAtIndex(D, o + i, unaryScalar(op, a.getAtIndex(D, ao + i * sa)));
        }
    }

    /** The scalar definition of every unary op, in double precision. */
    public static double unaryScalar(UnaryOp op, double x) {
        return switch (op) {
            case NEG -> -x;
            case EXP -> Math.exp(x);
            case LOG -> Math.log(x);
            case SQRT -> Math.sqrt(x);
            case ABS -> Math.abs(x);
            case SQUARE -> x * x;
            case RECIPROCAL -> 1 / x;
            case SIGMOID -> sigmoid(x);
            case TANH -> Math.tanh(x);
            case RELU -> Math.max(x, 0);
            case SILU -> x * sigmoid(x);
            case GELU -> 0.5 * x * (1 + Math.tanh(SQRT_2_OVER_PI * (x + 0.044715 * x * x * x)));
            case SIGN -> Math.signum(x);
        };
    }

    // ------------------------------------------------------------------ affine, where

    /** {@code out[i] = a[i * sa] * scale + shift} in F32. */
    public static void affineF32(MemorySegment a, long ao, long sa, float scale, float shift, MemorySegment out,
                                 long o, int n) {
        int i = 0;
        if (sa == 1) {
            FloatVector vs = FloatVector.broadcast(S, scale);
            FloatVector vt = FloatVector.broadcast(S, shift);
            int bound = S.loopBound(n);
            for (; i < bound; i += L) {
                FloatVector.fromMemorySegment(S, a, (ao + i) * 4, NO).fma(vs, vt)
                        .intoMemorySegment(out, (o + i) * 4, NO);
            }
        }
        for (; i < n; i++) {
            out.setAtIndex(F, o + i, Math.fma(a.getAtIndex(F, ao + i * sa), scale, shift));
        }
    }

    /** {@code out[i] = a[i * sa] * scale + shift} in F64. */
    public static void affineF64(MemorySegment a, long ao, long sa, double scale, double shift, MemorySegment out,
                                 long o, int n) {
        for (int i = 0; i < n; i++) {
            out.setAtIndex(D, o + i, a.getAtIndex(D, ao + i * sa) * scale + shift);
        }
    }

    static double sigmoid(double x) {
        return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
    }

    static double geluDerivative(double x) {
        double u = SQRT_2_OVER_PI * (x + 0.044715 * x * x * x);
        double t = Math.tanh(u);
        double du = SQRT_2_OVER_PI * (1 + 3 * 0.044715 * x * x);
        return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * du;
    }
}
