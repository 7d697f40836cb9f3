package dev.onerec4j.tensors.backend.cuda;

import dev.onerec4j.kernels.cuda.KernelArgs;
import dev.onerec4j.kernels.cuda.LaunchConfig;
import dev.onerec4j.tensors.Shapes;
import dev.onerec4j.tensors.Tensor;

/** The fused AdamW update. */
final class CudaOptim {

    private CudaOptim() {
    }

    static void adamw(CudaRuntime rt, Tensor param, Tensor grad, Tensor m, Tensor v, double lr, double beta1, double beta2,
                      double eps, double weightDecay, double bias1, double bias2) {
        for (Tensor t : new Tensor[] {grad, m, v}) {
            Shapes.requireSame("adamw", param.shape(), t.shape());
        }
        CudaElementwise.requireF32("adamw", param, grad, m, v);
        CudaNn.requireContiguous("adamw", param, grad, m, v);
        if (!(bias1 > 0) || !(bias2 > 0)) {
            throw new IllegalArgumentException("adamw: bias corrections must be positive, got " + bias1 + ", " + bias2);
        }
        long n = param.numel();
        if (n == 0) {
            return;
        }
        KernelArgs a = KernelArgs.begin().ptr(CudaRuntime.ptr(param)).ptr(CudaRuntime.ptr(grad)).ptr(CudaRuntime.ptr(m))
                .ptr(CudaRuntime.ptr(v)).i64(n).f32((float) (1.0 - lr * weightDecay)).f32((float) beta1)
                .f32((float) (1.0 - beta1)).f32((float) beta2).f32((float) (1.0 - beta2)).f32((float) (lr / bias1))
                .f32((float) (1.0 / bias2)).f32((float) eps);
        rt.launch("optim.cu", "adamw_f32", LaunchConfig.elementwise(n), a);
    }
}
