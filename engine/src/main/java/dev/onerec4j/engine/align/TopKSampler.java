package dev.onerec4j.engine.align;

import dev.onerec4j.engine.model.DecodingSession;
import dev.onerec4j.engine.tokenizer.SemanticIds;
import dev.onerec4j.engine.tokenizer.SidTrie;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Ancestral sampling of {@code group} items per request on a {@link DecodingSession}: each token is drawn from the
 * {@code topK} most likely allowed tokens, renormalised. Constrained, the allowed tokens are the trie's children
 * of the prefix (and at the last level, not an excluded item), so every sample is an item; unconstrained, every
 * token of the level's codebook is allowed. A sample's log-probability is the sum of its tokens' (untruncated)
 * log-probabilities. Samples may repeat. A constrained sample whose last level has no allowed token left is
 * dead ({@code -1}).
 */
public final class TopKSampler {

    private final int group;
    private final int topK;

    public TopKSampler(int group, int topK) {
        if (group < 1 || topK < 1) {
            throw new IllegalArgumentException("top-k sampling needs group >= 1 and k >= 1, got " + group + ", " + topK);
        }
        this.group = group;
        this.topK = topK;
    }

    public Generation sample(DecodingSession session, SemanticIds sids, int[][] excluded, boolean constrained,
                             SplittableRandom rng) {
        SidTrie trie = sids.trie();
        int requests = session.requests();
        int levels = session.levels();
        int n = requests * group;
        int[] nodes = new int[n];
        int[][] paths = new int[n][levels];
        double[] logp = new double[n];
        boolean[] dead = new boolean[n];
        int[] previous = null;
        int[] candidates = new int[0];
        double[] weights = new double[0];
        for (int level = 0; level < levels; level++) {
            float[] lp = session.logProbs(previous).toFloatArray();
            int rows = level == 0 ? requests : n;
            int vocab = lp.length / rows;
            if (candidates.length < vocab) {
                candidates = new int[vocab];
                weights = new double[vocab];
            }
            boolean last = level == levels - 1;
            int[] tokens = new int[n];
            for (int j = 0; j < n; j++) {
                int row = level == 0 ? j / group : j;
                if (dead[j]) {
                    continue;
                }
                int count = allowed(trie, nodes[j], vocab, constrained, last, excluded == null ? null : excluded[j / group],
                        candidates);
                if (count == 0) {
                    dead[j] = true;
                    continue;
                }
                int token = draw(lp, row * vocab, candidates, count, weights, rng);
                tokens[j] = token;
                logp[j] += lp[row * vocab + token];
                paths[j][level] = token;
                if (constrained) {
                    nodes[j] = trie.child(nodes[j], token);
                }
            }
            previous = tokens;
            if (!last) {
                int[] parents = new int[n];
                for (int j = 0; j < n; j++) {
                    parents[j] = level == 0 ? j / group : j;
                }
                session.select(parents);
            }
        }
        int[][] items = new int[requests][group];
        double[][] out = new double[requests][group];
        for (int j = 0; j < n; j++) {
            int r = j / group;
            items[r][j % group] = dead[j] ? -1 : constrained ? trie.item(nodes[j]) : sids.item(paths[j]);
            out[r][j % group] = dead[j] ? Double.NEGATIVE_INFINITY : logp[j];
        }
        return new Generation(items, out);
    }

    /** Writes the allowed tokens into {@code out} and returns how many there are. */
    private static int allowed(SidTrie trie, int node, int vocab, boolean constrained, boolean last, int[] excluded,
                               int[] out) {
        if (!constrained) {
            for (int t = 0; t < vocab; t++) {
                out[t] = t;
            }
            return vocab;
        }
        int count = 0;
        for (int pos = trie.childrenStart(node); pos < trie.childrenEnd(node); pos++) {
            if (last && excluded != null && Arrays.binarySearch(excluded, trie.item(trie.childAt(pos))) >= 0) {
                continue;
            }
            out[count++] = trie.tokenAt(pos);
        }
        return count;
    }

    /** Draws one of {@code candidates[0..count)} from the softmax of the top-k of their log-probabilities. */
    private int draw(float[] lp, int base, int[] candidates, int count, double[] weights, SplittableRandom rng) {
        int k = Math.min(topK, count);
        // Partial selection sort: the k best candidates to the front (k is small).
        for (int i = 0; i < k; i++) {
            int best = i;
            for (int j = i + 1; j < count; j++) {
                if (lp[base + candidates[j]] > lp[base + candidates[best]]) {
                    best = j;
                }
            }
            int t = candidates[i];
            candidates[i] = candidates[best];
            candidates[best] = t;
        }
        double max = lp[base + candidates[0]];
        double sum = 0;
        for (int i = 0; i < k; i++) {
            weights[i] = Math.exp(lp[base + candidates[i]] - max);
            sum += weights[i];
        }
        double u = rng.nextDouble() * sum;
        for (int i = 0; i < k; i++) {
            u -= weights[i];
            if (u < 0) {
                return candidates[i];
            }
        }
        return candidates[k - 1];
    }
}
