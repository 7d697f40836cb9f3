// One step of trie-constrained beam search. For each batch entry (one block), every live beam w may extend by
// the tokens its trie node allows (CSR: children of node are childStart[node] .. childStart[node + 1]); a
// candidate scores beamScore[w] + logProb[w, token]. The K best candidates over all beams are chosen in
// descending score, ties by lower (beam, token) order, and written with their parent beam, token and child
// node. Missing candidates (fewer than K allowed) get score -inf, parent -1, token -1, node -1. A beam is dead
// when its node is negative or its score is -inf.
#include "common.cuh"

#define BEAM_MAX 1024

extern "C" __global__ void beam_step(const float* __restrict__ logProbs, const float* __restrict__ beamScores,
                                     const int* __restrict__ nodes, int beams, int vocab,
                                     const int* __restrict__ childStart, const int* __restrict__ childToken,
                                     const int* __restrict__ childNode, int numNodes, int K,
                                     float* __restrict__ outScore, int* __restrict__ outParent,
                                     int* __restrict__ outToken, int* __restrict__ outNode, int* err) {
    __shared__ int prefix[BEAM_MAX + 1];
    __shared__ unsigned long long scratch[32];
    const int b = blockIdx.x;
    // Candidate counts per beam, prefix-summed by thread 0 (beams is small).
    if (threadIdx.x == 0) {
        int total = 0;
        for (int w = 0; w < beams; ++w) {
            prefix[w] = total;
            int node = nodes[b * beams + w];
            float score = beamScores[b * beams + w];
            if (node >= numNodes) {
                report_error(err, ERR_TRIE_NODE_OUT_OF_RANGE, b * beams + w, node, numNodes);
            } else if (node >= 0 && score != neg_inf()) {
                total += childStart[node + 1] - childStart[node];
            }
        }
        prefix[beams] = total;
    }
    __syncthreads();
    const int total = prefix[beams];
    unsigned long long previous = ~0ull;
    for (int sel = 0; sel < K; ++sel) {
        unsigned long long best = 0ull;
        for (int c = threadIdx.x; c < total; c += blockDim.x) {
            // The beam of candidate c: the last w with prefix[w] <= c (binary search).
            int lo = 0;
            int hi = beams - 1;
            while (lo < hi) {
                int mid = (lo + hi + 1) >> 1;
                if (prefix[mid] <= c) {
                    lo = mid;
                } else {
                    hi = mid - 1;
                }
            }
            const int w = lo;
            const int node = nodes[b * beams + w];
            const int edge = childStart[node] + (c - prefix[w]);
            const int token = childToken[edge];
            if (token < 0 || token >= vocab) {
                report_error(err, ERR_INDEX_OUT_OF_RANGE, edge, token, vocab);
                continue;
            }
            const float s = beamScores[b * beams + w] + logProbs[((i64) b * beams + w) * vocab + token];
            // Ordinal = w * vocab + token, so ties go to the lower beam, then the lower token.
            const unsigned long long key = pack_rank(s, (unsigned int) (w * vocab + token));
            if (key < previous && key > best) {
                best = key;
            }
        }
        best = block_max_u64(best, scratch);
        previous = best;
        if (threadIdx.x == 0) {
            const i64 o = (i64) b * K + sel;
            if (best == 0ull || sel >= total) {
                outScore[o] = neg_inf();
                outParent[o] = -1;
                outToken[o] = -1;
                outNode[o] = -1;
            } else {
                const unsigned int ordinal = unpack_index(best);
                const int w = (int) (ordinal / (unsigned int) vocab);
                const int token = (int) (ordinal % (unsigned int) vocab);
                outScore[o] = unpack_value(best);
                outParent[o] = w;
                outToken[o] = token;
                // The child node reached by token: scan the (short) child list of the parent's node.
                const int node = nodes[b * beams + w];
                int child = -1;
                for (int e = childStart[node]; e < childStart[node + 1]; ++e) {
                    if (childToken[e] == token) {
                        child = childNode[e];
                        break;
                    }
                }
                outNode[o] = child;
            }
        }
    }
}
