package dev.onerec4j.tensors.backend.cpu;

import dev.onerec4j.kernels.Bf16;
import dev.onerec4j.kernels.Bf16Kernels;
import dev.onerec4j.tensors.DType;
import dev.onerec4j.tensors.Shapes;
import dev.onerec4j.tensors.Tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Strided copies with dtype conversion, and fills. */
final class CpuCopy {

    private CpuCopy() {
    }

    static void copy(Tensor src, Tensor dst) {
        Shapes.requireSame("copy", dst.shape(), src.shape());
        MemorySegment s = src.segment();
        MemorySegment d = dst.segment();
        DType sd = src.dtype();
        DType dd = dst.dtype();
        new StridedRuns(dst.shape(), new long[][] {src.strides(), dst.strides()},
                new long[] {src.offset(), dst.offset()}).forEach((offs, st, n) -> {
                    if (sd == dd && st[0] == 1 && st[1] == 1) {
                        int bytes = sd.byteSize();
                        MemorySegment.copy(s, offs[0] * bytes, d, offs[1] * bytes, (long) n * bytes);
                    } else if (sd == DType.F32 && dd == DType.BF16 && st[0] == 1 && st[1] == 1) {
                        Bf16Kernels.convertF32ToBf16(s, offs[0], d, offs[1], n);
                    } else if (sd == DType.BF16 && dd == DType.F32 && st[0] == 1 && st[1] == 1) {
                        Bf16Kernels.convertBf16ToF32(s, offs[0], d, offs[1], n);
                    } else if (sd == DType.F32 && dd == DType.BF16) {
                        for (int i = 0; i < n; i++) {
                            d.setAtIndex(ValueLayout.JAVA_SHORT, offs[1] + i * st[1],
                                    Bf16.fromFloat(s.getAtIndex(ValueLayout.JAVA_FLOAT, offs[0] + i * st[0])));
                        }
                    } else if (sd == DType.BF16 && dd == DType.F32) {
                        for (int i = 0; i < n; i++) {
                            d.setAtIndex(ValueLayout.JAVA_FLOAT, offs[1] + i * st[1],
                                    Bf16.toFloat(s.getAtIndex(ValueLayout.JAVA_SHORT, offs[0] + i * st[0])));
                        }
                    } else {
                        for (int i = 0; i < n; i++) {
                            write(d, dd, offs[1] + i * st[1], read(s, sd, offs[0] + i * st[0]));
                        }
                    }
                });
    }

    static void fill(Tensor dst, double value) {
        MemorySegment d = dst.segment();
        DType dd = dst.dtype();
        new StridedRuns(dst.shape(), new long[][] {dst.strides()}, new long[] {dst.offset()}).forEach((offs, st, n) -> {
            if (st[0] == 1) {
                long bytes = dd.byteSize();
                MemorySegment run = d.asSlice(offs[0] * bytes, n * bytes);
                switch (dd) {
                    case F32 -> {
                        if (value == 0.0) {
                            run.fill((byte) 0);
                        } else {
                            for (int i = 0; i < n; i++) {
                                run.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) value);
                            }
                        }
                    }
                    default -> {
                        for (int i = 0; i < n; i++) {
                            write(d, dd, offs[0] + i, value);
                        }
                    }
                }
            } else {
                for (int i = 0; i < n; i++) {
                    write(d, dd, offs[0] + i * st[0], value);
                }
            }
        });
    }

    static double read(MemorySegment s, DType t, long i) {
        return switch (t) {
            case F32 -> s.getAtIndex(ValueLayout.JAVA_FLOAT, i);
            case F64 -> s.getAtIndex(ValueLayout.JAVA_DOUBLE, i);
            case BF16 -> Bf16.toFloat(s.getAtIndex(ValueLayout.JAVA_SHORT, i));
            case I32 -> s.getAtIndex(ValueLayout.JAVA_INT, i);
        };
    }

    static void write(MemorySegment s, DType t, long i, double v) {
        switch (t) {
            case F32 -> s.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) v);
            case F64 -> s.setAtIndex(ValueLayout.JAVA_DOUBLE, i, v);
            case BF16 -> s.setAtIndex(ValueLayout.JAVA_SHORT, i, Bf16.fromFloat((float) v));
            case I32 -> s.setAtIndex(ValueLayout.JAVA_INT, i, (int) v);
        }
    }
}
