// Strided copies with dtype conversion, and strided fills. Counterpart of CpuCopy.
#include "common.cuh"

#define DT_F32 0
#define DT_BF16 1
#define DT_I32 2

// Reads element i of a buffer of dtype dt as a double (exact for all three dtypes).
__device__ __forceinline__ double load_as_double(const void* p, int dt, i64 i) {
    if (dt == DT_F32) {
        return (double) ((const float*) p)[i];
    }
    if (dt == DT_BF16) {
        return (double) bf16_to_float(((const bf16_t*) p)[i]);
    }
    return (double) ((const int*) p)[i];
}

// Writes v converted like the CPU does: to float first for F32/BF16 (so BF16 rounds the float, as Java's
// Bf16.fromFloat((float) v)), truncation towards zero with saturation for I32 (Java's (int) v).
__device__ __forceinline__ void store_from_double(void* p, int dt, i64 i, double v) {
    if (dt == DT_F32) {
        ((float*) p)[i] = (float) v;
    } else if (dt == DT_BF16) {
        ((bf16_t*) p)[i] = float_to_bf16((float) v);
    } else {
        ((int*) p)[i] = __double2int_rz(v);
    }
}

// dst[j] = convert(src[j]) over a strided shape. Same-dtype copies move the raw bits (NaN payloads kept).
extern "C" __global__ void copy_strided(Dims d, Operand so, Operand dso, const void* __restrict__ src, int srcType,
                                        void* __restrict__ dst, int dstType) {
    i64 n = numel(d);
    for (i64 i = (i64) blockIdx.x * blockDim.x + threadIdx.x; i < n; i += (i64) gridDim.x * blockDim.x) {
        i64 s, t;
        offsets2(i, d, so, dso, s, t);
        if (srcType == dstType) {
            if (srcType == DT_BF16) {
                ((bf16_t*) dst)[t] = ((const bf16_t*) src)[s];
            } else {
                ((unsigned int*) dst)[t] = ((const unsigned int*) src)[s];
            }
        } else if (srcType == DT_F32 && dstType == DT_BF16) {
            ((bf16_t*) dst)[t] = float_to_bf16(((const float*) src)[s]);
        } else if (srcType == DT_BF16 && dstType == DT_F32) {
            ((float*) dst)[t] = bf16_to_float(((const bf16_t*) src)[s]);
        } else {
            store_from_double(dst, dstType, t, load_as_double(src, srcType, s));
        }
    }
}

// Fills a strided view with a bit pattern the host computed for the dtype (4 or 2 bytes wide).
extern "C" __global__ void fill_strided(Dims d, Operand o, void* __restrict__ dst, int elementBytes, unsigned int bits) {
    i64 n = numel(d);
    for (i64 i = (i64) blockIdx.x * blockDim.x + threadIdx.x; i < n; i += (i64) gridDim.x * blockDim.x) {
        i64 t = offset_of(i, d, o);
        if (elementBytes == 2) {
            ((bf16_t*) dst)[t] = (bf16_t) bits;
        } else {
            ((unsigned int*) dst)[t] = bits;
        }
    }
}
