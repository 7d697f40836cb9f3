package dev.onerec4j.tensors.backend.cuda;

import dev.onerec4j.kernels.Bf16;
import dev.onerec4j.kernels.cuda.CudaContext;
import dev.onerec4j.kernels.cuda.KernelArgs;
import dev.onerec4j.kernels.cuda.LaunchConfig;
import dev.onerec4j.tensors.DType;
import dev.onerec4j.tensors.Device;
import dev.onerec4j.tensors.MemoryScope;
import dev.onerec4j.tensors.Shapes;
import dev.onerec4j.tensors.Tensor;
import dev.onerec4j.tensors.backend.Backends;

/**
 * Copies on the device (strided, with dtype conversion), copies between host and device in both directions,
 * and fills. Host transfers go through a contiguous staging tensor when either side is strided; conversions
 * happen on the CPU for host-side dtypes the device does not hold (F64) and on the device otherwise.
 */
final class CudaCopy {

    private CudaCopy() {
    }

    static int dtypeCode(String op, DType t) {
        return switch (t) {
            case F32 -> 0;
            case BF16 -> 1;
            case I32 -> 2;
            case F64 -> throw new IllegalArgumentException(op + ": F64 lives on the CPU only (gradient checks); cast to F32 "
                    + "before moving it to CUDA");
        };
    }

    static void copy(CudaRuntime rt, Tensor src, Tensor dst) {
        Shapes.requireSame("copy", dst.shape(), src.shape());
        if (src.numel() == 0) {
            return;
        }
        if (src.device() == Device.CUDA && dst.device() == Device.CUDA) {
            deviceToDevice(rt, src, dst);
        } else if (dst.device() == Device.CUDA) {
            hostToDevice(rt, src, dst);
        } else if (src.device() == Device.CUDA) {
            deviceToHost(rt, src, dst);
        } else {
            Backends.cpu().copy(src, dst);
        }
    }

    private static void deviceToDevice(CudaRuntime rt, Tensor src, Tensor dst) {
        CudaContext ctx = rt.context();
        if (src.dtype() == dst.dtype() && src.isContiguous() && dst.isContiguous()) {
            ctx.makeCurrent();
            ctx.driver().copyDeviceToDevice(CudaRuntime.ptr(dst), CudaRuntime.ptr(src), src.numel() * src.dtype().byteSize(),
                    ctx.stream());
            return;
        }
        StridedLayout l = StridedLayout.of("copy", dst.shape(), new long[][] {src.strides(), dst.strides()},
                new long[] {src.offset(), dst.offset()});
        KernelArgs a = KernelArgs.begin();
        l.addDims(a);
        l.addOperand(a, 0);
        l.addOperand(a, 1);
        a.ptr(CudaRuntime.base(src)).i32(dtypeCode("copy", src.dtype())).ptr(CudaRuntime.base(dst))
                .i32(dtypeCode("copy", dst.dtype()));
        rt.launch("copy.cu", "copy_strided", LaunchConfig.elementwise(l.numel()), a);
    }

    private static void hostToDevice(CudaRuntime rt, Tensor src, Tensor dst) {
        dtypeCode("copy to CUDA", dst.dtype());
        CudaContext ctx = rt.context();
        try (MemoryScope tmp = MemoryScope.owned("cuda-h2d")) {
            // A contiguous host tensor in the destination's dtype when possible (the CPU converts F64 and strides).
            DType stage = dst.dtype();
            Tensor host = src;
            if (!src.isContiguous() || src.dtype() != stage) {
                host = Tensor.empty(stage, Device.CPU, tmp, src.shape());
                Backends.cpu().copy(src, host);
            }
            Tensor target = dst.isContiguous() ? dst : CudaRuntime.temp(tmp, stage, dst.shape());
            long bytes = host.numel() * stage.byteSize();
            ctx.makeCurrent();
            ctx.driver().copyHostToDevice(CudaRuntime.ptr(target), host.segment().asSlice(host.byteOffset(), bytes), bytes,
                    ctx.stream());
            if (target != dst) {
                deviceToDevice(rt, target, dst);
            }
            // The staging memory goes back to the CPU cache when the scope closes: wait until the copy read it.
            ctx.synchronize();
        }
    }

    private static void deviceToHost(CudaRuntime rt, Tensor src, Tensor dst) {
        CudaContext ctx = rt.context();
        try (MemoryScope tmp = MemoryScope.owned("cuda-d2h")) {
            Tensor dev = src.isContiguous() ? src : CudaRuntime.temp(tmp, src.dtype(), src.shape());
            if (dev != src) {
                deviceToDevice(rt, src, dev);
            }
            boolean direct = dst.isContiguous() && dst.dtype() == src.dtype();
            Tensor host = direct ? dst : Tensor.empty(src.dtype(), Device.CPU, tmp, src.shape());
            long bytes = dev.numel() * src.dtype().byteSize();
            ctx.makeCurrent();
            ctx.driver().copyDeviceToHost(host.segment().asSlice(host.byteOffset(), bytes), CudaRuntime.ptr(dev), bytes,
                    ctx.stream());
            rt.synchronize();
            if (!direct) {
                Backends.cpu().copy(host, dst);
            }
        }
    }

    static void fill(CudaRuntime rt, Tensor dst, double value) {
        if (dst.numel() == 0) {
            return;
        }
        dtypeCode("fill", dst.dtype());
        int bits = switch (dst.dtype()) {
            case F32 -> Float.floatToRawIntBits((float) value);
            case BF16 -> Bf16.fromFloat((float) value) & 0xffff;
            case I32 -> (int) value;
            case F64 -> throw new IllegalStateException("unreachable");
        };
        CudaContext ctx = rt.context();
        if (dst.isContiguous()) {
            ctx.makeCurrent();
            if (dst.dtype() == DType.BF16) {
                ctx.driver().memsetD16(CudaRuntime.ptr(dst), (short) bits, dst.numel(), ctx.stream());
            } else {
                ctx.driver().memsetD32(CudaRuntime.ptr(dst), bits, dst.numel(), ctx.stream());
            }
            return;
        }
        StridedLayout l = StridedLayout.of("fill", dst.shape(), new long[][] {dst.strides()}, new long[] {dst.offset()});
        KernelArgs a = KernelArgs.begin();
        l.addDims(a);
        l.addOperand(a, 0);
        a.ptr(CudaRuntime.base(dst)).i32(dst.dtype().byteSize()).i32(bits);
        rt.launch("copy.cu", "fill_strided", LaunchConfig.elementwise(l.numel()), a);
    }
}
