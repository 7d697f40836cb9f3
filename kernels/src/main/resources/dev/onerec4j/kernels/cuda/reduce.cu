// Reductions of a contiguous [outer, mid, inner] tensor over its middle axis, in F32. Counterpart of CpuReduce.
#include "common.cuh"

// inner == 1: one block per outer row, threads stride over the row, then a block reduction.
extern "C" __global__ void reduce_rows(int op, const float* __restrict__ a, i64 mid, float* __restrict__ out) {
    __shared__ float scratch[32];
    const float* row = a + (i64) blockIdx.x * mid;
    float acc0 = identity_of(op);
    float acc1 = identity_of(op);
    i64 j = threadIdx.x;
    // Two independent accumulators keep two loads in flight.
    for (; j + blockDim.x < mid; j += 2 * (i64) blockDim.x) {
        acc0 = combine(op, acc0, row[j]);
        acc1 = combine(op, acc1, row[j + blockDim.x]);
    }
    if (j < mid) {
        acc0 = combine(op, acc0, row[j]);
    }
    float r = block_reduce(op, combine(op, acc0, acc1), scratch);
    if (threadIdx.x == 0) {
        out[blockIdx.x] = r;
    }
}

// inner > 1: block (32, 8); x covers 32 consecutive columns (coalesced), y splits the middle axis, shared
// memory combines the 8 partial results. Grid (ceil(inner / 32), outer).
extern "C" __global__ void reduce_columns(int op, const float* __restrict__ a, i64 mid, i64 inner,
                                          float* __restrict__ out) {
    __shared__ float part[8][33];
    i64 col = (i64) blockIdx.x * 32 + threadIdx.x;
    const float* base = a + (i64) blockIdx.y * mid * inner;
    float acc = identity_of(op);
    if (col < inner) {
        for (i64 m = threadIdx.y; m < mid; m += blockDim.y) {
            acc = combine(op, acc, base[m * inner + col]);
        }
    }
    part[threadIdx.y][threadIdx.x] = acc;
    __syncthreads();
    if (threadIdx.y == 0 && col < inner) {
        float r = part[0][threadIdx.x];
        for (int y = 1; y < blockDim.y; ++y) {
            r = combine(op, r, part[y][threadIdx.x]);
        }
        out[(i64) blockIdx.y * inner + col] = r;
    }
}
