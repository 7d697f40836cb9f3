// Row gathers and scatters (embedding lookup and its gradient), gathers/scatters along the last axis, and the
// dropout mask. Counterpart of CpuIndexing. Out-of-range indices are reported through the error word and the
// affected output is zero-filled (a gather) or skipped (a scatter).
#include "common.cuh"

// out[i, :] = src[index[i], :]: block (32, 8) covers 8 rows x 32 columns per step; elementBytes 4 or 2.
extern "C" __global__ void index_select(const void* __restrict__ src, i64 srcRows, i64 srcRowStride,
                                        const int* __restrict__ index, i64 rows, i64 width,
                                        void* __restrict__ out, int elementBytes, int* err) {
    i64 r = (i64) blockIdx.x * blockDim.y + threadIdx.y;
    if (r >= rows) {
        return;
    }
    int idx = index[r];
    bool ok = idx >= 0 && (i64) idx < srcRows;
    if (!ok && threadIdx.x == 0) {
        report_error(err, ERR_INDEX_OUT_OF_RANGE, (int) r, idx, (int) srcRows);
    }
    for (i64 c = threadIdx.x; c < width; c += blockDim.x) {
        if (elementBytes == 2) {
            ((bf16_t*) out)[r * width + c] = ok ? ((const bf16_t*) src)[(i64) idx * srcRowStride + c] : (bf16_t) 0;
        } else {
            ((float*) out)[r * width + c] = ok ? ((const float*) src)[(i64) idx * srcRowStride + c] : 0.0f;
        }
    }
}

// dst[index[i], :] += src[i, :] (F32, atomics: repeated indices accumulate in an unspecified order).
extern "C" __global__ void index_add(float* __restrict__ dst, i64 dstRows, const int* __restrict__ index,
                                     const float* __restrict__ src, i64 rows, i64 width, int* err) {
    i64 r = (i64) blockIdx.x * blockDim.y + threadIdx.y;
    if (r >= rows) {
        return;
    }
    int idx = index[r];
    if (idx < 0 || (i64) idx >= dstRows) {
        if (threadIdx.x == 0) {
            report_error(err, ERR_INDEX_OUT_OF_RANGE, (int) r, idx, (int) dstRows);
        }
        return;
    }
    for (i64 c = threadIdx.x; c < width; c += blockDim.x) {
        atomicAdd(dst + (i64) idx * width + c, src[r * width + c]);
    }
}

// out[r, j] = src[r, index[r, j]] for src [rows, n], index [rows, k] (F32).
extern "C" __global__ void gather_last(const float* __restrict__ src, i64 n, const int* __restrict__ index, i64 rows,
                                       i64 k, float* __restrict__ out, int* err) {
    i64 total = rows * k;
    for (i64 e = (i64) blockIdx.x * blockDim.x + threadIdx.x; e < total; e += (i64) gridDim.x * blockDim.x) {
        i64 r = e / k;
        int idx = index[e];
        if (idx < 0 || (i64) idx >= n) {
            report_error(err, ERR_INDEX_OUT_OF_RANGE, (int) e, idx, (int) n);
            out[e] = 0.0f;
        } else {
            out[e] = src[r * n + idx];
        }
    }
}

// dst[r, index[r, j]] += src[r, j] (F32, atomics).
extern "C" __global__ void scatter_add_last(float* __restrict__ dst, i64 n, const int* __restrict__ index, i64 rows,
                                            i64 k, const float* __restrict__ src, int* err) {
    i64 total = rows * k;
    for (i64 e = (i64) blockIdx.x * blockDim.x + threadIdx.x; e < total; e += (i64) gridDim.x * blockDim.x) {
        i64 r = e / k;
        int idx = index[e];
        if (idx < 0 || (i64) idx >= n) {
            report_error(err, ERR_INDEX_OUT_OF_RANGE, (int) e, idx, (int) n);
        } else {
            atomicAdd(dst + r * n + idx, src[e]);
        }
    }
}

// Wellons' lowbias32 finaliser, the hash of dev.onerec4j.kernels.DropoutKernels (bit-exact, so a mask drawn
// on the GPU equals the CPU's for the same seed).
__device__ __forceinline__ unsigned int lowbias32(unsigned int x) {
    x ^= x >> 16;
    x *= 0x7feb352du;
    x ^= x >> 15;
    x *= 0x846ca68bu;
    x ^= x >> 16;
    return x;
}

// mask[i] = scale when element i is kept, 0 when dropped: h = hash(hash(lo(i) + k1) ^ hi(i) ^ k2), dropped when
// h >> 8 < threshold (= round(p * 2^24)). k1, k2 are the two halves of SplitMix64(seed), computed on the host.
extern "C" __global__ void dropout_mask(float* __restrict__ mask, i64 n, unsigned int threshold, float scale,
                                        unsigned int k1, unsigned int k2) {
    for (i64 i = (i64) blockIdx.x * blockDim.x + threadIdx.x; i < n; i += (i64) gridDim.x * blockDim.x) {
        unsigned long long u = (unsigned long long) i;
        unsigned int h = lowbias32((unsigned int) u + k1);
        h = lowbias32(h ^ (unsigned int) (u >> 32) ^ k2);
        mask[i] = (h >> 8) >= threshold ? scale : 0.0f;
    }
}
