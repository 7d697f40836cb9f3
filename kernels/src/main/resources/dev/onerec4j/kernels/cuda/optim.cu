// Fused AdamW: decoupled weight decay, moment updates and the bias-corrected step in one pass. Counterpart of
// CpuOptim.adamw.
#include "common.cuh"

extern "C" __global__ void adamw_f32(float* __restrict__ param, const float* __restrict__ grad, float* __restrict__ m,
                                     float* __restrict__ v, i64 n, float lr, float beta1, float beta2, float eps,
                                     float weightDecay, float bias1, float bias2) {
    for (i64 i = (i64) blockIdx.x * blockDim.x + threadIdx.x; i < n; i += (i64) gridDim.x * blockDim.x) {
        float p = param[i];
        float g = grad[i];
        p -= lr * weightDecay * p;
        float mi = beta1 * m[i] + (1.0f - beta1) * g;
        float vi = beta2 * v[i] + (1.0f - beta2) * g * g;
        m[i] = mi;
        v[i] = vi;
        float mhat = mi / bias1;
        float vhat = vi / bias2;
        param[i] = p - lr * mhat / (sqrtf(vhat) + eps);
    }
}
