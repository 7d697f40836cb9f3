// Fused softmax + cross-entropy with label smoothing and an ignore index, and the logits gradient, one block
// per row: loss = (1 - s) * (lse - x_t) + s * (lse - mean_j x_j); grad_j = p_j - (1 - s) [j == t] - s / v.
#include "common.cuh"

extern "C" __global__ void cross_entropy_fwd_bwd(const float* __restrict__ logits, const int* __restrict__ targets,
                                                 i64 v, int ignoreIndex, float smoothing, float* __restrict__ loss,
                                                 float* __restrict__ grad, int* err) {
    __shared__ float scratch[32];
    i64 row = blockIdx.x;
    const float* x = logits + row * v;
    int t = targets[row];
    if (t == ignoreIndex) {
        if (threadIdx.x == 0) {
            loss[row] = 0.0f;
        }
        if (grad != 0) {
            for (i64 j = threadIdx.x; j < v; j += blockDim.x) {
                grad[row * v + j] = 0.0f;
            }
        }
        return;
    }
    if (t < 0 || (i64) t >= v) {
        if (threadIdx.x == 0) {
            report_error(err, ERR_TARGET_OUT_OF_RANGE, (int) row, t, (int) v);
            loss[row] = qnan();
        }
        return;
    }
    float m = neg_inf();
    float sum = 0.0f;
    for (i64 j = threadIdx.x; j < v; j += blockDim.x) {
        m = jmax(m, x[j]);
        sum += x[j];
    }
    m = block_reduce(OP_MAX, m, scratch);
    sum = block_reduce(OP_SUM, sum, scratch);
    float shift = m == neg_inf() ? 0.0f : m;
    float se = 0.0f;
    for (i64 j = threadIdx.x; j < v; j += blockDim.x) {
        se += expf(x[j] - shift);
    }
    se = block_reduce(OP_SUM, se, scratch);
    float lse = shift + logf(se);
    if (threadIdx.x == 0) {
        loss[row] = (1.0f - smoothing) * (lse - x[t]) + smoothing * (lse - sum / (float) v);
    }
    if (grad != 0) {
        float uniform = smoothing / (float) v;
        for (i64 j = threadIdx.x; j < v; j += blockDim.x) {
            float p = expf(x[j] - lse);
            grad[row * v + j] = p - uniform - (j == (i64) t ? 1.0f - smoothing : 0.0f);
        }
    }
}
