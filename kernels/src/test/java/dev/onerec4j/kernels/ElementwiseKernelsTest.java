package dev.onerec4j.kernels;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** F32 element-wise and reduction kernels against the double-precision scalar definitions, on odd lengths. */
class ElementwiseKernelsTest {

    private static final int[] LENGTHS = {1, 7, 15, 16, 17, 33, 100, 1023};

    private static MemorySegment random(Arena arena, Random r, int n, double scale, boolean positive) {
        MemorySegment s = arena.allocate(4L * n, 64);
        for (int i = 0; i < n; i++) {
            double v = r.nextGaussian() * scale;
            s.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) (positive ? Math.abs(v) + 0.1 : v));
        }
        return s;
    }

    private static void close(String what, double expected, double actual, double rtol, double atol) {
        assertTrue(Math.abs(expected - actual) <= atol + rtol * Math.abs(expected) || (Double.isNaN(expected) && Double.isNaN(actual)),
                what + ": expected " + expected + ", got " + actual);
    }

    @Test
    void binaryOpsMatchReference() {
        Random r = new Random(1);
        try (Arena arena = Arena.ofConfined()) {
            for (BinaryOp op : BinaryOp.values()) {
                for (int n : LENGTHS) {
                    for (int pattern = 0; pattern < 3; pattern++) {
                        boolean positive = op == BinaryOp.POW || op == BinaryOp.DIV;
                        MemorySegment a = random(arena, r, n, 2, op == BinaryOp.POW);
                        MemorySegment b = random(arena, r, n, 2, positive);
                        MemorySegment out = arena.allocate(4L * n, 64);
                        long sa = pattern == 1 ? 0 : 1;
                        long sb = pattern == 2 ? 0 : 1;
                        ElementwiseKernels.binaryF32(op, a, 0, sa, b, 0, sb, out, 0, n);
                        for (int i = 0; i < n; i++) {
                            double x = a.getAtIndex(ValueLayout.JAVA_FLOAT, i * sa);
                            double y = b.getAtIndex(ValueLayout.JAVA_FLOAT, i * sb);
                            close(op + " n=" + n + " i=" + i, ElementwiseKernels.binaryScalar(op, x, y),
                                    out.getAtIndex(ValueLayout.JAVA_FLOAT, i), 1e-5, 1e-6);
                        }
                    }
                }
            }
        }
    }

    @Test
    void unaryOpsMatchReference() {
        Random r = new Random(2);
        try (Arena arena = Arena.ofConfined()) {
            for (UnaryOp op : UnaryOp.values()) {
                for (int n : LENGTHS) {
                    boolean positive = op == UnaryOp.LOG || op == UnaryOp.SQRT || op == UnaryOp.RECIPROCAL;
                    MemorySegment a = random(arena, r, n, 3, positive);
                    MemorySegment out = arena.allocate(4L * n, 64);
                    ElementwiseKernels.unaryF32(op, a, 0, 1, out, 0, n);
                    for (int i = 0; i < n; i++) {
                        double x = a.getAtIndex(ValueLayout.JAVA_FLOAT, i);
                        close(op + " n=" + n + " i=" + i, ElementwiseKernels.unaryScalar(op, x),
                                out.getAtIndex(ValueLayout.JAVA_FLOAT, i), 1e-5, 1e-6);
                    }
                }
            }
        }
    }

    @Test
    void reductionsMatchReference() {
        Random r = new Random(3);
        try (Arena arena = Arena.ofConfined()) {
            for (ReduceOp op : ReduceOp.values()) {
                for (int n : LENGTHS) {
                    MemorySegment a = random(arena, r, n, 1, false);
                    double ref = ReduceKernels.identity(op);
                    double abs = 0;
                    for (int i = 0; i < n; i++) {
                        double v = a.getAtIndex(ValueLayout.JAVA_FLOAT, i);
                        ref = ReduceKernels.combine(op, ref, v);
                        abs += Math.abs(v);
                    }
                    close(op + " run n=" + n, ref, ReduceKernels.reduceRunF32(op, a, 0, n), 1e-5, 1e-6 * abs);
                    int width = Math.min(n, 1 + n % 37);
                    int rows = Math.max(1, n / width);
                    MemorySegment out = arena.allocate(4L * width, 64);
                    ReduceKernels.reduceColumnsF32(op, a, 0, rows, width, out, 0, 0, width);
                    for (int c = 0; c < width; c++) {
                        double col = ReduceKernels.identity(op);
                        for (int row = 0; row < rows; row++) {
                            col = ReduceKernels.combine(op, col, a.getAtIndex(ValueLayout.JAVA_FLOAT, (long) row * width + c));
                        }
                        close(op + " columns", col, out.getAtIndex(ValueLayout.JAVA_FLOAT, c), 1e-5, 1e-5);
                    }
                }
            }
        }
    }
}
