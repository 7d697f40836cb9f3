// Softmax and log-softmax over the last axis (one block per row) and their backward. Counterpart of CpuNn.
#include "common.cuh"

extern "C" __global__ void softmax_fwd(const float* __restrict__ x, float* __restrict__ out, i64 n, int logMode) {
    __shared__ float scratch[32];
    const float* row = x + (i64) blockIdx.x * n;
    float* o = out + (i64) blockIdx.x * n;
    float m = neg_inf();
    for (i64 j = threadIdx.x; j < n; j += blockDim.x) {
        m = jmax(m, row[j]);
    }
    m = block_reduce(OP_MAX, m, scratch);
    // A row of -inf only: shift by 0 instead of -inf (which would give inf - inf); every exp is then 0 and the
    // output NaN, as in the double reference where 0/0 is NaN.
    float shift = m == neg_inf() ? 0.0f : m;
    float s = 0.0f;
    for (i64 j = threadIdx.x; j < n; j += blockDim.x) {
        s += expf(row[j] - shift);
    }
    s = block_reduce(OP_SUM, s, scratch);
    if (logMode) {
        float lse = shift + logf(s);
        for (i64 j = threadIdx.x; j < n; j += blockDim.x) {
            o[j] = row[j] - lse;
        }
    } else {
        float inv = 1.0f / s;
        for (i64 j = threadIdx.x; j < n; j += blockDim.x) {
            o[j] = expf(row[j] - shift) * inv;
        }
    }
}

// softmax:     gx = y * (gy - sum(gy * y));   log-softmax: gx = gy - exp(y) * sum(gy).
extern "C" __global__ void softmax_bwd(const float* __restrict__ y, const float* __restrict__ gy,
                                       float* __restrict__ gx, i64 n, int logMode) {
    __shared__ float scratch[32];
    i64 base = (i64) blockIdx.x * n;
    float s = 0.0f;
    for (i64 j = threadIdx.x; j < n; j += blockDim.x) {
        s += logMode ? gy[base + j] : gy[base + j] * y[base + j];
    }
    s = block_reduce(OP_SUM, s, scratch);
    for (i64 j = threadIdx.x; j < n; j += blockDim.x) {
        float yj = y[base + j];
        float g = gy[base + j];
        gx[base + j] = logMode ? g - expf(yj) * s : yj * (g - s);
    }
}
