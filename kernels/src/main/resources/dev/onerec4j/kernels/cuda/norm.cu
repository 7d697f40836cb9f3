// RMSNorm over the last axis: out = x / rms(x) * w with rstd = 1 / sqrt(mean(x^2) + eps), and its backward.
// Counterpart of CpuNn.rmsNorm / rmsNormBackward.
#include "common.cuh"

extern "C" __global__ void rmsnorm_fwd(const float* __restrict__ x, const float* __restrict__ w, float eps, i64 n,
                                       float* __restrict__ out, float* __restrict__ rstd) {
    __shared__ float scratch[32];
    i64 base = (i64) blockIdx.x * n;
    float ss = 0.0f;
    for (i64 j = threadIdx.x; j < n; j += blockDim.x) {
        float v = x[base + j];
        ss += v * v;
    }
    ss = block_reduce(OP_SUM, ss, scratch);
    float r = 1.0f / sqrtf(ss / (float) n + eps);
    if (threadIdx.x == 0) {
        rstd[blockIdx.x] = r;
    }
    for (i64 j = threadIdx.x; j < n; j += blockDim.x) {
        out[base + j] = x[base + j] * r * w[j];
    }
}

// gx_i = r * w_i * g_i - r^3 / n * x_i * sum_j(w_j * g_j * x_j), one block per row.
extern "C" __global__ void rmsnorm_bwd_x(const float* __restrict__ x, const float* __restrict__ w,
                                         const float* __restrict__ rstd, const float* __restrict__ g, i64 n,
                                         float* __restrict__ gx) {
    __shared__ float scratch[32];
    i64 base = (i64) blockIdx.x * n;
    float r = rstd[blockIdx.x];
    float dot = 0.0f;
    for (i64 j = threadIdx.x; j < n; j += blockDim.x) {
        dot += w[j] * g[base + j] * x[base + j];
    }
    dot = block_reduce(OP_SUM, dot, scratch);
    float c = r * r * r * dot / (float) n;
    for (i64 j = threadIdx.x; j < n; j += blockDim.x) {
        gx[base + j] = r * w[j] * g[base + j] - c * x[base + j];
    }
}

// gw_j += sum over rows of g * x * rstd[row]: column reduction with block (32, 8), grid ceil(n / 32).
// Deterministic (no atomics): each column is summed by one block in a fixed order.
extern "C" __global__ void rmsnorm_bwd_w(const float* __restrict__ x, const float* __restrict__ rstd,
                                         const float* __restrict__ g, i64 rows, i64 n, float* __restrict__ gw) {
    __shared__ float part[8][33];
    i64 col = (i64) blockIdx.x * 32 + threadIdx.x;
    float acc = 0.0f;
    if (col < n) {
        for (i64 r = threadIdx.y; r < rows; r += blockDim.y) {
            acc += g[r * n + col] * x[r * n + col] * rstd[r];
        }
    }
    part[threadIdx.y][threadIdx.x] = acc;
    __syncthreads();
    if (threadIdx.y == 0 && col < n) {
        float s = 0.0f;
        for (int y = 0; y < blockDim.y; ++y) {
            s += part[y][threadIdx.x];
        }
        gw[col] += s;
    }
}
