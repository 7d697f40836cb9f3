// Fused AdamW: decoupled weight decay, moment updates and the bias-corrected step in one pass. Counterpart of
// CpuOptim.adamw.
#include "common.cuh"

// The host folds the scalars as OptimizerKernels.adamwF32 does: decay = 1 - lr * wd, c1 = 1 - beta1,
// c2 = 1 - beta2, step = lr / bias1, invBias2 = 1 / bias2 (each rounded to float once).
extern "C" __global__ void adamw_f32(float* __restrict__ param, const float* __restrict__ grad, float* __restrict__ m,
                                     float* __restrict__ v, i64 n, float decay, float beta1, float c1, float beta2,
                                     float c2, float step, float invBias2, float eps) {
    for (i64 i = (i64) blockIdx.x * blockDim.x + threadIdx.x; i < n; i += (i64) gridDim.x * blockDim.x) {
        const float g = grad[i];
        const float mi = m[i] * beta1 + g * c1;
        const float vi = v[i] * beta2 + g * g * c2;
        m[i] = mi;
        v[i] = vi;
        param[i] = param[i] * decay - mi * step / (sqrtf(vi * invBias2) + eps);
    }
}
