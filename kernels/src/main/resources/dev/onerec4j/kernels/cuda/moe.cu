// Mixture-of-experts routing and token permutation, as in dev.onerec4j.tensors.nn.MixtureOfExperts.
// Routing (loss-free balancing): affinities s = softmax(logits) over all experts; each token picks the k experts
// with the largest s + bias (the bias steers selection only), and its gate weights are the picked affinities
// renormalised over the picked set. Permutation groups the (token, slot) assignments by expert, stably (expert,
// then assignment order), without atomics, so every run lays tokens out the same.
#include "common.cuh"

// One warp per token: a softmax over the experts, then k rounds of a warp argmax over (s + bias) with the
// (value desc, index asc) order. Block of 256 threads = 8 tokens.
extern "C" __global__ void moe_route(const float* __restrict__ logits, const float* __restrict__ bias, i64 tokens,
                                     int experts, int k, int* __restrict__ outExpert, float* __restrict__ outWeight) {
    const i64 t = (i64) blockIdx.x * (blockDim.x >> 5) + (threadIdx.x >> 5);
    const int lane = threadIdx.x & 31;
    if (t >= tokens) {
        return;
    }
    const float* row = logits + t * experts;
    float m = neg_inf();
    for (int e = lane; e < experts; e += 32) {
        m = jmax(m, row[e]);
    }
    m = warp_max(m);
    float z = 0.0f;
    for (int e = lane; e < experts; e += 32) {
        z += expf(row[e] - m);
    }
    const float invZ = 1.0f / warp_sum(z);
    unsigned long long previous = ~0ull;
    float pickedSum = 0.0f;
    for (int s = 0; s < k; ++s) {
        unsigned long long best = 0ull;
        for (int e = lane; e < experts; e += 32) {
            const float affinity = expf(row[e] - m) * invZ;
            const unsigned long long key = pack_rank(affinity + (bias == 0 ? 0.0f : bias[e]), (unsigned int) e);
            if (key < previous && key > best) {
                best = key;
            }
        }
        best = warp_max_u64(best);
        previous = best;
        const int e = (int) unpack_index(best);
        const float affinity = expf(row[e] - m) * invZ;
        pickedSum += affinity;
        if (lane == 0) {
            outExpert[t * k + s] = e;
            outWeight[t * k + s] = affinity;
        }
    }
    if (lane == 0) {
        for (int s = 0; s < k; ++s) {
            outWeight[t * k + s] /= pickedSum;
        }
    }
}

// counts[e] = number of assignments routed to expert e; one block per expert.
extern "C" __global__ void moe_count(const int* __restrict__ expertOf, i64 assignments, int* __restrict__ counts) {
    __shared__ float scratch[32];
    const int e = blockIdx.x;
    float c = 0.0f;
    for (i64 a = threadIdx.x; a < assignments; a += blockDim.x) {
        c += expertOf[a] == e ? 1.0f : 0.0f;
    }
    // Counts are exact in float up to 2^24 assignments per expert (checked on the host).
    c = block_reduce(OP_SUM, c, scratch);
    if (threadIdx.x == 0) {
        counts[e] = (int) c;
    }
}

// One block per expert: offset = sum of the counts of lower experts; then a block-wide ordered scan of the
// assignments gives each of this expert's assignments its rank. Writes position[a] (row of assignment a in the
// expert-sorted layout), sortedToken[pos] = a / k, and offsets[e] (offsets[experts] by the last block).
extern "C" __global__ void moe_positions(const int* __restrict__ expertOf, i64 assignments, int k, int experts,
                                         const int* __restrict__ counts, int* __restrict__ position,
                                         int* __restrict__ sortedToken, int* __restrict__ offsets) {
    __shared__ int warpTotals[32];
    __shared__ int base;
    const int e = blockIdx.x;
    const int lane = threadIdx.x & 31;
    const int warp = threadIdx.x >> 5;
    const int warps = blockDim.x >> 5;
    if (threadIdx.x == 0) {
        int off = 0;
        for (int x = 0; x < e; ++x) {
            off += counts[x];
        }
        base = off;
        offsets[e] = off;
        if (e == experts - 1) {
            offsets[experts] = off + counts[e];
        }
    }
    __syncthreads();
    for (i64 start = 0; start < assignments; start += blockDim.x) {
        const i64 a = start + threadIdx.x;
        const bool mine = a < assignments && expertOf[a] == e;
        const unsigned int ballot = __ballot_sync(FULL_MASK, mine);
        if (lane == 0) {
            warpTotals[warp] = __popc(ballot);
        }
        __syncthreads();
        int before = base;
        for (int w = 0; w < warp; ++w) {
            before += warpTotals[w];
        }
        int chunkTotal = 0;
        for (int w = 0; w < warps; ++w) {
            chunkTotal += warpTotals[w];
        }
        if (mine) {
            const int pos = before + __popc(ballot & ((1u << lane) - 1u));
            position[a] = pos;
            sortedToken[pos] = (int) (a / k);
        }
        __syncthreads();
        if (threadIdx.x == 0) {
            base += chunkTotal;
        }
        __syncthreads();
    }
}

// y[t, :] = sum_s weight[t, s] * expertOut[position[t * k + s], :]: one block row (32 x 8) per 8 tokens.
extern "C" __global__ void moe_combine(const float* __restrict__ expertOut, const int* __restrict__ position,
                                       const float* __restrict__ weight, i64 tokens, int k, i64 width,
                                       float* __restrict__ y) {
    const i64 t = (i64) blockIdx.x * blockDim.y + threadIdx.y;
    if (t >= tokens) {
        return;
    }
    for (i64 c = threadIdx.x; c < width; c += blockDim.x) {
        float acc = 0.0f;
        for (int s = 0; s < k; ++s) {
            acc += weight[t * k + s] * expertOut[(i64) position[t * k + s] * width + c];
        }
        y[t * width + c] = acc;
    }
}

// Backward of moe_combine: gradExpertOut[position[a], :] = weight[a] * gy[a / k, :] (each row written once),
// gradWeight[a] = gy[a / k, :] . expertOut[position[a], :]. One warp per assignment.
extern "C" __global__ void moe_combine_bwd(const float* __restrict__ expertOut, const int* __restrict__ position,
                                           const float* __restrict__ weight, const float* __restrict__ gy,
                                           i64 assignments, int k, i64 width, float* __restrict__ gradExpertOut,
                                           float* __restrict__ gradWeight) {
    const i64 a = (i64) blockIdx.x * (blockDim.x >> 5) + (threadIdx.x >> 5);
    const int lane = threadIdx.x & 31;
    if (a >= assignments) {
        return;
    }
    const i64 t = a / k;
    const i64 row = position[a];
    const float w = weight[a];
    float dot = 0.0f;
    for (i64 c = lane; c < width; c += 32) {
        const float g = gy[t * width + c];
        gradExpertOut[row * width + c] = w * g;
        dot += g * expertOut[row * width + c];
    }
    dot = warp_sum(dot);
    if (lane == 0) {
        gradWeight[a] = dot;
    }
}
