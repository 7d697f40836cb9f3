// The k largest entries of each row, in descending order, ties broken by the lower index; NaN ranks above
// everything. One block per row selects k times the best entry that ranks below the previous pick (a strict
// total order), so no entry is picked twice and no sorting network is needed: O(k n / threads) per row,
// meant for the small k of beam search, MoE routing and sampling.
#include "common.cuh"

extern "C" __global__ void topk_rows(const float* __restrict__ x, i64 n, int k, float* __restrict__ values,
                                     int* __restrict__ indices) {
    __shared__ unsigned long long scratch[32];
    const float* row = x + (i64) blockIdx.x * n;
    unsigned long long previous = ~0ull;
    for (int sel = 0; sel < k; ++sel) {
        unsigned long long best = 0ull;
        for (i64 j = threadIdx.x; j < n; j += blockDim.x) {
            unsigned long long key = pack_rank(row[j], (unsigned int) j);
            if (key < previous && key > best) {
                best = key;
            }
        }
        best = block_max_u64(best, scratch);
        if (threadIdx.x == 0) {
            values[(i64) blockIdx.x * k + sel] = unpack_value(best);
            indices[(i64) blockIdx.x * k + sel] = (int) unpack_index(best);
        }
        previous = best;
    }
}
