package dev.onerec4j.kernels;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;

/** Test data in off-heap segments, and the allclose check against double-precision references. */
final class Segments {

    /** Row lengths around the vector length and the summation block, none of them special. */
    static final int[] LENGTHS = {1, 2, 3, 7, 8, 15, 16, 17, 31, 33, 100, 257, 1023, 1500, 4099};

    private Segments() {
    }

    static MemorySegment gaussian(Arena arena, Random r, int n, double scale, double shift) {
        MemorySegment s = arena.allocate(4L * Math.max(1, n), 64);
        for (int i = 0; i < n; i++) {
            s.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) (shift + r.nextGaussian() * scale));
        }
        return s;
    }

    static MemorySegment floats(Arena arena, int n) {
        return arena.allocate(4L * Math.max(1, n), 64);
    }

    static MemorySegment ofFloats(Arena arena, float[] values) {
        MemorySegment s = floats(arena, values.length);
        MemorySegment.copy(values, 0, s, ValueLayout.JAVA_FLOAT, 0, values.length);
        return s;
    }

    static MemorySegment ofInts(Arena arena, int[] values) {
        MemorySegment s = arena.allocate(4L * Math.max(1, values.length), 64);
        MemorySegment.copy(values, 0, s, ValueLayout.JAVA_INT, 0, values.length);
        return s;
    }

    static double[] toDoubles(MemorySegment s, long offset, int n) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = s.getAtIndex(ValueLayout.JAVA_FLOAT, offset + i);
        }
        return out;
    }

    static float get(MemorySegment s, long i) {
        return s.getAtIndex(ValueLayout.JAVA_FLOAT, i);
    }

    /** {@code |a - e| <= atol + rtol * |e|} element-wise, naming the first miss. */
    static void assertAllclose(String what, double[] expected, double[] actual, double rtol, double atol) {
        if (expected.length != actual.length) {
            throw new AssertionError(what + ": expected " + expected.length + " values, got " + actual.length);
        }
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i];
            double a = actual[i];
            if (!(Math.abs(a - e) <= atol + rtol * Math.abs(e)) && !(e == a)) {
                throw new AssertionError(what + ": element " + i + " of " + expected.length + " is " + a
                        + ", expected " + e + " (rtol " + rtol + ", atol " + atol + ")");
            }
        }
    }

    static void assertClose(String what, double expected, double actual, double rtol, double atol) {
        assertAllclose(what, new double[] {expected}, new double[] {actual}, rtol, atol);
    }

    static double maxAbs(double[] v) {
        double m = 0;
        for (double x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }
}
