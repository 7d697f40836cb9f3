package dev.onerec4j.kernels.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The argument block of one {@code cuLaunchKernel}: the values, each at its natural alignment, in one native
 * buffer, and the {@code void*} array pointing at each. One instance per thread is reused for every launch, so
 * launching allocates nothing. Arguments must be added in the kernel's parameter order with the kernel's C
 * types ({@code int} = {@link #i32}, {@code long long} = {@link #i64}, pointers = {@link #ptr}, structs passed
 * by value = {@link #struct}).
 */
public final class KernelArgs {

    static final int MAX_ARGS = 48;
    static final int VALUE_BYTES = 4096;

    private static final ThreadLocal<KernelArgs> PER_THREAD = ThreadLocal.withInitial(KernelArgs::new);

    private final MemorySegment values;
    private final MemorySegment pointers;
    private int count;
    private long used;

    KernelArgs() {
        Arena arena = Arena.ofAuto();
        values = arena.allocate(VALUE_BYTES, 16);
        pointers = arena.allocate(8L * MAX_ARGS, 8);
    }

    /** This thread's argument block, emptied. */
    public static KernelArgs begin() {
        KernelArgs a = PER_THREAD.get();
        a.count = 0;
        a.used = 0;
        return a;
    }

    private long slot(long size, long align) {
        if (count == MAX_ARGS) {
            throw new IllegalStateException("more than " + MAX_ARGS + " kernel arguments");
        }
        long at = (used + align - 1) / align * align;
        if (at + size > VALUE_BYTES) {
            throw new IllegalStateException("kernel arguments exceed " + VALUE_BYTES + " bytes");
        }
        used = at + size;
        pointers.setAtIndex(ValueLayout.JAVA_LONG, count++, values.address() + at);
        return at;
    }

    /** A device pointer (or any 64-bit handle). */
    public KernelArgs ptr(long devicePointer) {
        values.set(ValueLayout.JAVA_LONG, slot(8, 8), devicePointer);
        return this;
    }

    public KernelArgs i32(int v) {
        values.set(ValueLayout.JAVA_INT, slot(4, 4), v);
        return this;
    }

    public KernelArgs i64(long v) {
        values.set(ValueLayout.JAVA_LONG, slot(8, 8), v);
        return this;
    }

    public KernelArgs f32(float v) {
        values.set(ValueLayout.JAVA_FLOAT, slot(4, 4), v);
        return this;
    }

    public KernelArgs f64(double v) {
        values.set(ValueLayout.JAVA_DOUBLE, slot(8, 8), v);
        return this;
    }

    /** A struct passed by value: {@code bytes} of {@code src}, 8-byte aligned (all project structs are). */
    public KernelArgs struct(MemorySegment src) {
        MemorySegment.copy(src, 0, values, slot(src.byteSize(), 8), src.byteSize());
        return this;
    }

    /** A struct of 64-bit fields passed by value, written straight into the argument block. */
    public KernelArgs longs(long... fields) {
        long at = slot(8L * fields.length, 8);
        for (int i = 0; i < fields.length; i++) {
            values.set(ValueLayout.JAVA_LONG, at + 8L * i, fields[i]);
        }
        return this;
    }

    public int count() {
        return count;
    }

    /** The {@code void**} array to pass as {@code kernelParams}. */
    public MemorySegment pointerArray() {
        return pointers;
    }

    /** The bytes of argument {@code i} (tests). */
    MemorySegment argument(int i) {
        long offset = pointers.getAtIndex(ValueLayout.JAVA_LONG, i) - values.address();
        long end = i + 1 < count ? pointers.getAtIndex(ValueLayout.JAVA_LONG, i + 1) - values.address() : used;
        return values.asSlice(offset, end - offset);
    }
}
