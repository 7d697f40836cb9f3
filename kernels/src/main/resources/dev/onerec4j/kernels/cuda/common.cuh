// Shared definitions of the onerec4j CUDA kernels. Compiled by NVRTC at run time (handed over as an in-memory
// header) and by nvcc in the build's syntax check, so it uses no system header: only builtin types and
// intrinsics. Every kernel is extern "C" so the host finds it by its plain name.
#pragma once

typedef unsigned short bf16_t;
typedef long long i64;

#define MAX_RANK 8

// Dynamic shared memory of a block (the CPU emulator used in tests defines its own).
#ifndef DYNAMIC_SHARED
#define DYNAMIC_SHARED(T, name) extern __shared__ T name[]
#endif
#define WARP 32
#define FULL_MASK 0xffffffffu

// Shape of an element-wise operation after the host merged its dimensions: rank <= MAX_RANK, innermost last.
// Layout (72 bytes): int rank, int pad, long long size[8]. Mirrors StridedLayout on the Java side.
struct Dims {
    int rank;
    int pad;
    i64 size[MAX_RANK];
};

// One operand over a Dims: element offset of its first element and its element strides (0 = broadcast).
// Layout (72 bytes): long long offset, long long stride[8].
struct Operand {
    i64 offset;
    i64 stride[MAX_RANK];
};

// Error word in device memory, read by the host at its next synchronisation: [code, a, b, c]. The first error
// wins; later ones are dropped. Codes are listed in DeviceErrors.java.
__device__ __forceinline__ void report_error(int* err, int code, int a, int b, int c) {
    if (err != 0 && atomicCAS(err, 0, code) == 0) {
        err[1] = a;
        err[2] = b;
        err[3] = c;
    }
}

#define ERR_INDEX_OUT_OF_RANGE 1
#define ERR_TARGET_OUT_OF_RANGE 2
#define ERR_TRIE_NODE_OUT_OF_RANGE 3

__device__ __forceinline__ float pos_inf() { return __int_as_float(0x7f800000); }
__device__ __forceinline__ float neg_inf() { return __int_as_float(0xff800000); }
__device__ __forceinline__ float qnan() { return __int_as_float(0x7fc00000); }
__device__ __forceinline__ bool is_nan(float x) { return x != x; }

// bfloat16 <-> float, bit-exact with dev.onerec4j.kernels.Bf16 (round to nearest even, NaN stays quiet NaN).
__device__ __forceinline__ float bf16_to_float(bf16_t b) {
    return __int_as_float(((unsigned int) b) << 16);
}

__device__ __forceinline__ bf16_t float_to_bf16(float f) {
    unsigned int bits = __float_as_uint(f);
    if ((bits & 0x7fffffffu) > 0x7f800000u) {
        return (bf16_t) ((bits >> 16) | 0x0040u);
    }
    unsigned int lsb = (bits >> 16) & 1u;
    return (bf16_t) ((bits + 0x7fffu + lsb) >> 16);
}

// Java's Math.max / Math.min: NaN in either operand gives NaN.
__device__ __forceinline__ float jmax(float a, float b) { return (is_nan(a) || is_nan(b)) ? qnan() : fmaxf(a, b); }
__device__ __forceinline__ float jmin(float a, float b) { return (is_nan(a) || is_nan(b)) ? qnan() : fminf(a, b); }

// Element offset of linear index i (row-major over dims) in operand o. Loops are unrolled over MAX_RANK so
// the by-value parameter arrays are indexed with constants (no local-memory copy).
__device__ __forceinline__ i64 offset_of(i64 i, const Dims& d, const Operand& o) {
    if (d.rank == 1) {
        return o.offset + i * o.stride[0];
    }
    i64 off = o.offset;
#pragma unroll
    for (int r = MAX_RANK - 1; r >= 0; --r) {
        if (r < d.rank) {
            i64 s = d.size[r];
            i64 c = i % s;
            i /= s;
            off += c * o.stride[r];
        }
    }
    return off;
}

// Offsets of linear index i in two or three operands at once (one division chain).
__device__ __forceinline__ void offsets2(i64 i, const Dims& d, const Operand& a, const Operand& b, i64& oa, i64& ob) {
    if (d.rank == 1) {
        oa = a.offset + i * a.stride[0];
        ob = b.offset + i * b.stride[0];
        return;
    }
    oa = a.offset;
    ob = b.offset;
#pragma unroll
    for (int r = MAX_RANK - 1; r >= 0; --r) {
        if (r < d.rank) {
            i64 s = d.size[r];
            i64 c = i % s;
            i /= s;
            oa += c * a.stride[r];
            ob += c * b.stride[r];
        }
    }
}

__device__ __forceinline__ void offsets3(i64 i, const Dims& d, const Operand& a, const Operand& b, const Operand& c3,
                                         i64& oa, i64& ob, i64& oc) {
    if (d.rank == 1) {
        oa = a.offset + i * a.stride[0];
        ob = b.offset + i * b.stride[0];
        oc = c3.offset + i * c3.stride[0];
        return;
    }
    oa = a.offset;
    ob = b.offset;
    oc = c3.offset;
#pragma unroll
    for (int r = MAX_RANK - 1; r >= 0; --r) {
        if (r < d.rank) {
            i64 s = d.size[r];
            i64 c = i % s;
            i /= s;
            oa += c * a.stride[r];
            ob += c * b.stride[r];
            oc += c * c3.stride[r];
        }
    }
}

// Total elements of a Dims.
__device__ __forceinline__ i64 numel(const Dims& d) {
    i64 n = 1;
#pragma unroll
    for (int r = 0; r < MAX_RANK; ++r) {
        if (r < d.rank) {
            n *= d.size[r];
        }
    }
    return n;
}

// ---------------------------------------------------------------- warp and block reductions

__device__ __forceinline__ float warp_sum(float v) {
#pragma unroll
    for (int o = 16; o > 0; o >>= 1) {
        v += __shfl_xor_sync(FULL_MASK, v, o);
    }
    return v;
}

__device__ __forceinline__ float warp_max(float v) {
#pragma unroll
    for (int o = 16; o > 0; o >>= 1) {
        v = jmax(v, __shfl_xor_sync(FULL_MASK, v, o));
    }
    return v;
}

__device__ __forceinline__ float warp_min(float v) {
#pragma unroll
    for (int o = 16; o > 0; o >>= 1) {
        v = jmin(v, __shfl_xor_sync(FULL_MASK, v, o));
    }
    return v;
}

__device__ __forceinline__ unsigned long long warp_max_u64(unsigned long long v) {
#pragma unroll
    for (int o = 16; o > 0; o >>= 1) {
        unsigned long long w = __shfl_xor_sync(FULL_MASK, v, o);
        v = w > v ? w : v;
    }
    return v;
}

#define OP_SUM 0
#define OP_MAX 1
#define OP_MIN 2

__device__ __forceinline__ float combine(int op, float a, float b) {
    return op == OP_SUM ? a + b : (op == OP_MAX ? jmax(a, b) : jmin(a, b));
}

__device__ __forceinline__ float identity_of(int op) {
    return op == OP_SUM ? 0.0f : (op == OP_MAX ? neg_inf() : pos_inf());
}

__device__ __forceinline__ float warp_reduce(int op, float v) {
    return op == OP_SUM ? warp_sum(v) : (op == OP_MAX ? warp_max(v) : warp_min(v));
}

// Block-wide reduction; every thread gets the result. scratch holds >= 32 floats. blockDim.x is a multiple of
// 32. Ends with a barrier, so scratch may be reused right after.
__device__ __forceinline__ float block_reduce(int op, float v, float* scratch) {
    int lane = threadIdx.x & 31;
    int warp = threadIdx.x >> 5;
    int warps = blockDim.x >> 5;
    v = warp_reduce(op, v);
    if (lane == 0) {
        scratch[warp] = v;
    }
    __syncthreads();
    float r = lane < warps ? scratch[lane] : identity_of(op);
    r = warp_reduce(op, r);
    __syncthreads();
    return r;
}

__device__ __forceinline__ unsigned long long block_max_u64(unsigned long long v, unsigned long long* scratch) {
    int lane = threadIdx.x & 31;
    int warp = threadIdx.x >> 5;
    int warps = blockDim.x >> 5;
    v = warp_max_u64(v);
    if (lane == 0) {
        scratch[warp] = v;
    }
    __syncthreads();
    unsigned long long r = lane < warps ? scratch[lane] : 0ull;
    r = warp_max_u64(r);
    __syncthreads();
    return r;
}

// A total order on floats as unsigned ints: larger float -> larger key; every NaN is canonicalised to the
// largest key (NaN ranks first, as in a descending sort that puts NaN on top).
__device__ __forceinline__ unsigned int order_key(float x) {
    if (is_nan(x)) {
        return 0xffffffffu;
    }
    unsigned int b = __float_as_uint(x);
    return (b & 0x80000000u) ? ~b : (b | 0x80000000u);
}

__device__ __forceinline__ float key_to_float(unsigned int k) {
    if (k == 0xffffffffu) {
        return qnan();
    }
    unsigned int b = (k & 0x80000000u) ? (k & 0x7fffffffu) : ~k;
    return __uint_as_float(b);
}

// (value desc, index asc) packed so that a larger packed value ranks first.
__device__ __forceinline__ unsigned long long pack_rank(float v, unsigned int index) {
    return (((unsigned long long) order_key(v)) << 32) | (unsigned long long) (0xffffffffu - index);
}

__device__ __forceinline__ unsigned int unpack_index(unsigned long long p) {
    return 0xffffffffu - (unsigned int) (p & 0xffffffffull);
}

__device__ __forceinline__ float unpack_value(unsigned long long p) {
    return key_to_float((unsigned int) (p >> 32));
}

// Numerically stable logistic function.
__device__ __forceinline__ float sigmoidf_(float x) {
    if (x >= 0.0f) {
        return 1.0f / (1.0f + expf(-x));
    }
    float e = expf(x);
    return e / (1.0f + e);
}
