// Flash-style scaled dot-product attention in F32: key/value tiles of 32 keys in shared memory, an online
// softmax per query row, no score matrix in device memory. Grouped heads (hq a multiple of hkv), causal masking
// (query i sees key j <= i + tk - tq) and a key mask [b, tk]. A query that sees no key gets a zero output and
// lse = -inf. Head sizes up to 256 (MAXC * 32). Counterpart of CpuAttention.
//
// Work split: a block of 8 warps handles 8 query rows (forward, dQ) or 8 key rows (dK/dV) of one (batch, head).
// Scores use one lane per key (or query) of the 32-row tile, reading its row from shared memory padded by one
// float so the 32 lanes hit 32 banks; the weighted sums use one lane per output column.
#include "common.cuh"

#define ATT_WARPS 8
#define KT 32
#define MAXC 8

// Strides in elements; q, k, v have unit stride on their last axis; out, lse, dO, delta and the gradients are
// contiguous. Layout: 11 x long long, 8 x int, float, int (128 bytes). Mirrors AttentionParams.java.
struct AttnParams {
    i64 qB, qH, qT;
    i64 kB, kH, kT;
    i64 vB, vH, vT;
    i64 mB, mT;
    int B, Hq, Hkv, Tq, Tk, D, Dv, causal;
    float scale;
    int pad;
};

__device__ __forceinline__ bool key_allowed(const int* mask, const AttnParams& p, int b, int j) {
    return mask == 0 || mask[(i64) b * p.mB + (i64) j * p.mT] != 0;
}

extern "C" __global__ void __launch_bounds__(ATT_WARPS * 32)
attention_fwd(AttnParams p, const float* __restrict__ q, const float* __restrict__ k, const float* __restrict__ v,
              const int* __restrict__ mask, float* __restrict__ out, float* __restrict__ lse) {
    DYNAMIC_SHARED(float, smem);
    const int D = p.D;
    const int Dv = p.Dv;
    const int kpad = D + 1;
    float* ks = smem;                    // KT x (D + 1)
    float* vs = ks + KT * kpad;          // KT x Dv
    float* qs = vs + KT * Dv;            // ATT_WARPS x D
    const int warp = threadIdx.x >> 5;
    const int lane = threadIdx.x & 31;
    const int b = blockIdx.z;
    const int h = blockIdx.y;
    const int hk = h / (p.Hq / p.Hkv);
    const int i = blockIdx.x * ATT_WARPS + warp;
    const bool rowValid = i < p.Tq;
    const int shiftT = p.Tk - p.Tq;
    const float* kbase = k + (i64) b * p.kB + (i64) hk * p.kH;
    const float* vbase = v + (i64) b * p.vB + (i64) hk * p.vH;
    float* myq = qs + warp * D;
    if (rowValid) {
        const float* qrow = q + (i64) b * p.qB + (i64) h * p.qH + (i64) i * p.qT;
        for (int d = lane; d < D; d += 32) {
            myq[d] = qrow[d] * p.scale;
        }
    }
    const int limit = p.causal ? i + shiftT : p.Tk - 1;
    const int lastRow = min(blockIdx.x * ATT_WARPS + ATT_WARPS - 1, p.Tq - 1);
    const int blockLimit = p.causal ? min(lastRow + shiftT, p.Tk - 1) : p.Tk - 1;
    float m = neg_inf();
    float l = 0.0f;
    float o[MAXC];
#pragma unroll
    for (int c = 0; c < MAXC; ++c) {
        o[c] = 0.0f;
    }
    for (int t0 = 0; t0 <= blockLimit; t0 += KT) {
        __syncthreads();
        for (int e = threadIdx.x; e < KT * D; e += blockDim.x) {
            int r = e / D;
            int c = e - r * D;
            int j = t0 + r;
            ks[r * kpad + c] = j < p.Tk ? kbase[(i64) j * p.kT + c] : 0.0f;
        }
        for (int e = threadIdx.x; e < KT * Dv; e += blockDim.x) {
            int r = e / Dv;
            int c = e - r * Dv;
            int j = t0 + r;
            vs[r * Dv + c] = j < p.Tk ? vbase[(i64) j * p.vT + c] : 0.0f;
        }
        __syncthreads();
        if (!rowValid) {
            continue;
        }
        const int j = t0 + lane;
        const bool visible = j < p.Tk && j <= limit && key_allowed(mask, p, b, j);
        float s = neg_inf();
        if (visible) {
            const float* kr = ks + lane * kpad;
            float a0 = 0.0f;
            float a1 = 0.0f;
            int d = 0;
            for (; d + 1 < D; d += 2) {
                a0 += myq[d] * kr[d];
                a1 += myq[d + 1] * kr[d + 1];
            }
            if (d < D) {
                a0 += myq[d] * kr[d];
            }
            s = a0 + a1;
        }
        const float tmax = warp_max(s);
        if (tmax == neg_inf()) {
            continue;
        }
        const float mNew = fmaxf(m, tmax);
        const float pj = visible ? expf(s - mNew) : 0.0f;
        const float corr = expf(m - mNew);
        l = l * corr + warp_sum(pj);
#pragma unroll
        for (int c = 0; c < MAXC; ++c) {
            o[c] *= corr;
        }
        for (int jj = 0; jj < KT; ++jj) {
            const float pv = __shfl_sync(FULL_MASK, pj, jj);
            if (pv != 0.0f) {
                const float* vr = vs + jj * Dv;
#pragma unroll
                for (int c = 0; c < MAXC; ++c) {
                    const int d = c * 32 + lane;
                    if (d < Dv) {
                        o[c] += pv * vr[d];
                    }
                }
            }
        }
        m = mNew;
    }
    if (rowValid) {
        const i64 row = ((i64) b * p.Hq + h) * p.Tq + i;
        const float inv = l > 0.0f ? 1.0f / l : 0.0f;
#pragma unroll
        for (int c = 0; c < MAXC; ++c) {
            const int d = c * 32 + lane;
            if (d < Dv) {
                out[row * Dv + d] = o[c] * inv;
            }
        }
        if (lse != 0 && lane == 0) {
            lse[row] = l > 0.0f ? m + logf(l) : neg_inf();
        }
    }
}

// delta[row] = sum_d dO[row, d] * out[row, d]: one warp per row.
extern "C" __global__ void attention_bwd_delta(const float* __restrict__ out, const float* __restrict__ gradOut,
                                               i64 rows, int Dv, float* __restrict__ delta) {
    const i64 row = (i64) blockIdx.x * (blockDim.x >> 5) + (threadIdx.x >> 5);
    const int lane = threadIdx.x & 31;
    if (row >= rows) {
        return;
    }
    float s = 0.0f;
    for (int d = lane; d < Dv; d += 32) {
        s += out[row * Dv + d] * gradOut[row * Dv + d];
    }
    s = warp_sum(s);
    if (lane == 0) {
        delta[row] = s;
    }
}

// dQ: one warp per query row, key tiles in shared memory. ds_j = p_j (dO . v_j - delta), dQ = scale sum_j ds_j k_j.
extern "C" __global__ void __launch_bounds__(ATT_WARPS * 32)
attention_bwd_dq(AttnParams p, const float* __restrict__ q, const float* __restrict__ k, const float* __restrict__ v,
                 const int* __restrict__ mask, const float* __restrict__ lse, const float* __restrict__ delta,
                 const float* __restrict__ gradOut, float* __restrict__ gradQ) {
    DYNAMIC_SHARED(float, smem);
    const int D = p.D;
    const int Dv = p.Dv;
    const int kpad = D + 1;
    const int vpad = Dv + 1;
    float* ks = smem;                    // KT x (D + 1)
    float* vs = ks + KT * kpad;          // KT x (Dv + 1)
    float* qs = vs + KT * vpad;          // ATT_WARPS x D
    float* gs = qs + ATT_WARPS * D;      // ATT_WARPS x Dv
    const int warp = threadIdx.x >> 5;
    const int lane = threadIdx.x & 31;
    const int b = blockIdx.z;
    const int h = blockIdx.y;
    const int hk = h / (p.Hq / p.Hkv);
    const int i = blockIdx.x * ATT_WARPS + warp;
    const int shiftT = p.Tk - p.Tq;
    const i64 row = ((i64) b * p.Hq + h) * p.Tq + i;
    const float rowLse = i < p.Tq ? lse[row] : neg_inf();
    // Rows past the end or that saw no key in the forward have a zero gradient.
    const bool rowActive = i < p.Tq && rowLse != neg_inf();
    const float rowDelta = rowActive ? delta[row] : 0.0f;
    const float* kbase = k + (i64) b * p.kB + (i64) hk * p.kH;
    const float* vbase = v + (i64) b * p.vB + (i64) hk * p.vH;
    float* myq = qs + warp * D;
    float* mygo = gs + warp * Dv;
    if (rowActive) {
        const float* qrow = q + (i64) b * p.qB + (i64) h * p.qH + (i64) i * p.qT;
        for (int d = lane; d < D; d += 32) {
            myq[d] = qrow[d] * p.scale;
        }
        for (int d = lane; d < Dv; d += 32) {
            mygo[d] = gradOut[row * Dv + d];
        }
    }
    const int limit = p.causal ? i + shiftT : p.Tk - 1;
    const int lastRow = min(blockIdx.x * ATT_WARPS + ATT_WARPS - 1, p.Tq - 1);
    const int blockLimit = p.causal ? min(lastRow + shiftT, p.Tk - 1) : p.Tk - 1;
    float acc[MAXC];
#pragma unroll
    for (int c = 0; c < MAXC; ++c) {
        acc[c] = 0.0f;
    }
    for (int t0 = 0; t0 <= blockLimit; t0 += KT) {
        __syncthreads();
        for (int e = threadIdx.x; e < KT * D; e += blockDim.x) {
            int r = e / D;
            int c = e - r * D;
            int j = t0 + r;
            ks[r * kpad + c] = j < p.Tk ? kbase[(i64) j * p.kT + c] : 0.0f;
        }
        for (int e = threadIdx.x; e < KT * Dv; e += blockDim.x) {
            int r = e / Dv;
            int c = e - r * Dv;
            int j = t0 + r;
            vs[r * vpad + c] = j < p.Tk ? vbase[(i64) j * p.vT + c] : 0.0f;
        }
        __syncthreads();
        if (!rowActive) {
            continue;
        }
        const int j = t0 + lane;
        const bool visible = j < p.Tk && j <= limit && key_allowed(mask, p, b, j);
        float ds = 0.0f;
        if (visible) {
            const float* kr = ks + lane * kpad;
            const float* vr = vs + lane * vpad;
            float s = 0.0f;
            for (int d = 0; d < D; ++d) {
                s += myq[d] * kr[d];
            }
            float dp = 0.0f;
            for (int d = 0; d < Dv; ++d) {
                dp += mygo[d] * vr[d];
            }
            ds = expf(s - rowLse) * (dp - rowDelta);
        }
        for (int jj = 0; jj < KT; ++jj) {
            const float dsv = __shfl_sync(FULL_MASK, ds, jj);
            if (dsv != 0.0f) {
                const float* kr = ks + jj * kpad;
#pragma unroll
                for (int c = 0; c < MAXC; ++c) {
                    const int d = c * 32 + lane;
                    if (d < D) {
                        acc[c] += dsv * kr[d];
                    }
                }
            }
        }
    }
    if (i < p.Tq) {
        float* gq = gradQ + row * D;
#pragma unroll
        for (int c = 0; c < MAXC; ++c) {
            const int d = c * 32 + lane;
            if (d < D) {
                gq[d] = acc[c] * p.scale;
            }
        }
    }
}

// dK and dV: one warp per key row, query tiles (of every head of the kv head's group) in shared memory.
// dV_j = sum_i p_ij dO_i; dK_j = scale sum_i ds_ij q_i.
extern "C" __global__ void __launch_bounds__(ATT_WARPS * 32)
attention_bwd_dkv(AttnParams p, const float* __restrict__ q, const float* __restrict__ k, const float* __restrict__ v,
                  const int* __restrict__ mask, const float* __restrict__ lse, const float* __restrict__ delta,
                  const float* __restrict__ gradOut, float* __restrict__ gradK, float* __restrict__ gradV) {
    DYNAMIC_SHARED(float, smem);
    __shared__ float lset[KT];
    __shared__ float delt[KT];
    const int D = p.D;
    const int Dv = p.Dv;
    const int qpad = D + 1;
    const int gpad = Dv + 1;
    float* qt = smem;                    // KT x (D + 1): scale * q
    float* gt = qt + KT * qpad;          // KT x (Dv + 1): dO
    float* kw = gt + KT * gpad;          // ATT_WARPS x D
    float* vw = kw + ATT_WARPS * D;      // ATT_WARPS x Dv
    const int warp = threadIdx.x >> 5;
    const int lane = threadIdx.x & 31;
    const int b = blockIdx.z;
    const int hk = blockIdx.y;
    const int group = p.Hq / p.Hkv;
    const int j = blockIdx.x * ATT_WARPS + warp;
    const int shiftT = p.Tk - p.Tq;
    const bool keyActive = j < p.Tk && key_allowed(mask, p, b, j);
    float* myk = kw + warp * D;
    float* myv = vw + warp * Dv;
    if (keyActive) {
        const float* kr = k + (i64) b * p.kB + (i64) hk * p.kH + (i64) j * p.kT;
        const float* vr = v + (i64) b * p.vB + (i64) hk * p.vH + (i64) j * p.vT;
        for (int d = lane; d < D; d += 32) {
            myk[d] = kr[d];
        }
        for (int d = lane; d < Dv; d += 32) {
            myv[d] = vr[d];
        }
    }
    // Causal: query i sees key j when i >= j - shiftT; the block's first key bounds where to start.
    const int firstKey = blockIdx.x * ATT_WARPS;
    const int iStart = p.causal ? max(0, firstKey - shiftT) : 0;
    const int tStart = (iStart / KT) * KT;
    float dk[MAXC];
    float dv[MAXC];
#pragma unroll
    for (int c = 0; c < MAXC; ++c) {
        dk[c] = 0.0f;
        dv[c] = 0.0f;
    }
    for (int g = 0; g < group; ++g) {
        const int h = hk * group + g;
        const float* qbase = q + (i64) b * p.qB + (i64) h * p.qH;
        const i64 rowBase = ((i64) b * p.Hq + h) * p.Tq;
        for (int t0 = tStart; t0 < p.Tq; t0 += KT) {
            __syncthreads();
            for (int e = threadIdx.x; e < KT * D; e += blockDim.x) {
                int r = e / D;
                int c = e - r * D;
                int i = t0 + r;
                qt[r * qpad + c] = i < p.Tq ? qbase[(i64) i * p.qT + c] * p.scale : 0.0f;
            }
            for (int e = threadIdx.x; e < KT * Dv; e += blockDim.x) {
                int r = e / Dv;
                int c = e - r * Dv;
                int i = t0 + r;
                gt[r * gpad + c] = i < p.Tq ? gradOut[(rowBase + i) * Dv + c] : 0.0f;
            }
            if (threadIdx.x < KT) {
                int i = t0 + threadIdx.x;
                lset[threadIdx.x] = i < p.Tq ? lse[rowBase + i] : neg_inf();
                delt[threadIdx.x] = i < p.Tq ? delta[rowBase + i] : 0.0f;
            }
            __syncthreads();
            if (!keyActive) {
                continue;
            }
            const int i = t0 + lane;
            const float rowLse = lset[lane];
            const bool visible = i < p.Tq && rowLse != neg_inf() && (!p.causal || j <= i + shiftT);
            float pij = 0.0f;
            float ds = 0.0f;
            if (visible) {
                const float* qr = qt + lane * qpad;
                const float* gr = gt + lane * gpad;
                float s = 0.0f;
                for (int d = 0; d < D; ++d) {
                    s += qr[d] * myk[d];
                }
                float dp = 0.0f;
                for (int d = 0; d < Dv; ++d) {
                    dp += gr[d] * myv[d];
                }
                pij = expf(s - rowLse);
                ds = pij * (dp - delt[lane]);
            }
            for (int ii = 0; ii < KT; ++ii) {
                const float pv = __shfl_sync(FULL_MASK, pij, ii);
                const float dsv = __shfl_sync(FULL_MASK, ds, ii);
                if (pv != 0.0f) {
                    const float* gr = gt + ii * gpad;
                    const float* qr = qt + ii * qpad;
#pragma unroll
                    for (int c = 0; c < MAXC; ++c) {
                        const int d = c * 32 + lane;
                        if (d < Dv) {
                            dv[c] += pv * gr[d];
                        }
                        if (d < D) {
                            dk[c] += dsv * qr[d];
                        }
                    }
                }
            }
        }
    }
    if (j < p.Tk) {
        const i64 krow = ((i64) b * p.Hkv + hk) * p.Tk + j;
#pragma unroll
        for (int c = 0; c < MAXC; ++c) {
            const int d = c * 32 + lane;
            if (d < D) {
                gradK[krow * D + d] = dk[c];
            }
            if (d < Dv) {
                gradV[krow * Dv + d] = dv[c];
            }
        }
    }
}
