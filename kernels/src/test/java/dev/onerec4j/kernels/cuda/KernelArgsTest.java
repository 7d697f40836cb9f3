package dev.onerec4j.kernels.cuda;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The argument block handed to cuLaunchKernel: values at their natural alignment, one pointer per argument. */
class KernelArgsTest {

    @Test
    void storesEachValueAtAnAlignedSlot() {
        MemorySegment struct = Arena.ofAuto().allocate(24, 8);
        struct.setAtIndex(ValueLayout.JAVA_LONG, 0, 11);
        struct.setAtIndex(ValueLayout.JAVA_LONG, 1, 22);
        struct.setAtIndex(ValueLayout.JAVA_LONG, 2, 33);
        KernelArgs a = KernelArgs.begin().i32(7).ptr(0x1234_5678_9abcL).f32(1.5f).f64(-2.25).struct(struct).longs(4, 5);
        assertEquals(6, a.count());
        assertEquals(7, a.argument(0).get(ValueLayout.JAVA_INT, 0));
        assertEquals(0x1234_5678_9abcL, a.argument(1).get(ValueLayout.JAVA_LONG, 0));
        assertEquals(1.5f, a.argument(2).get(ValueLayout.JAVA_FLOAT, 0));
        assertEquals(-2.25, a.argument(3).get(ValueLayout.JAVA_DOUBLE, 0));
        assertEquals(33, a.argument(4).getAtIndex(ValueLayout.JAVA_LONG, 2));
        assertEquals(5, a.argument(5).getAtIndex(ValueLayout.JAVA_LONG, 1));
        for (int i = 0; i < a.count(); i++) {
            long address = a.pointerArray().getAtIndex(ValueLayout.JAVA_LONG, i);
            long align = i == 0 || i == 2 ? 4 : 8;
            assertEquals(0, address % align, "argument " + i + " misaligned");
        }
    }

    @Test
    void beginEmptiesTheBlock() {
        KernelArgs.begin().i32(1).i32(2).i32(3);
        assertEquals(1, KernelArgs.begin().i64(9).count());
    }

    @Test
    void tooManyArgumentsFail() {
        KernelArgs a = KernelArgs.begin();
        for (int i = 0; i < KernelArgs.MAX_ARGS; i++) {
            a.i32(i);
        }
        assertThrows(IllegalStateException.class, () -> a.i32(0));
    }
}
