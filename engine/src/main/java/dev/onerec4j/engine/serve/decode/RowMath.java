package dev.onerec4j.engine.serve.decode;

import jdk.incubator.vector.FloatVector;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** Short-row vector helpers of the decoding step (attention over a handful of cached positions). */
final class RowMath {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final long F = ValueLayout.JAVA_FLOAT.byteSize();
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    private RowMath() {
    }

    /** {@code sum a[ao + i] * b[bo + i]} over {@code n} elements ({@code a} a native float buffer). */
    static float dot(MemorySegment a, long ao, float[] b, int bo, int n) {
        FloatVector acc0 = FloatVector.zero(S);
        FloatVector acc1 = FloatVector.zero(S);
        int i = 0;
        for (; i + 2 * L <= n; i += 2 * L) {
            acc0 = FloatVector.fromMemorySegment(S, a, (ao + i) * F, ORDER).fma(FloatVector.fromArray(S, b, bo + i), acc0);
            acc1 = FloatVector.fromMemorySegment(S, a, (ao + i + L) * F, ORDER)
                    .fma(FloatVector.fromArray(S, b, bo + i + L), acc1);
        }
        for (; i + L <= n; i += L) {
            acc0 = FloatVector.fromMemorySegment(S, a, (ao + i) * F, ORDER).fma(FloatVector.fromArray(S, b, bo + i), acc0);
        }
        float sum = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            sum += a.getAtIndex(ValueLayout.JAVA_FLOAT, ao + i) * b[bo + i];
        }
        return sum;
    }

    /** {@code y[yo + i] += alpha * x[xo + i]} over {@code n} elements ({@code y} a native float buffer). */
    static void axpy(float alpha, float[] x, int xo, MemorySegment y, long yo, int n) {
        FloatVector va = FloatVector.broadcast(S, alpha);
        int i = 0;
        for (; i + L <= n; i += L) {
            FloatVector.fromArray(S, x, xo + i).fma(va, FloatVector.fromMemorySegment(S, y, (yo + i) * F, ORDER))
                    .intoMemorySegment(y, (yo + i) * F, ORDER);
        }
        for (; i < n; i++) {
            long at = yo + i;
            y.setAtIndex(ValueLayout.JAVA_FLOAT, at, y.getAtIndex(ValueLayout.JAVA_FLOAT, at) + alpha * x[xo + i]);
        }
    }
}
