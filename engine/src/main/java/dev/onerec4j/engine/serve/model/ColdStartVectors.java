package dev.onerec4j.engine.serve.model;

import dev.onerec4j.engine.sample.ItemVectors;
import dev.onerec4j.engine.tokenizer.SidTrie;

/**
 * The item vector of a cold-start item, for the lifelong pathway's clustering: the mean vector of the items that
 * share the longest prefix of its semantic ID (its nearest relatives in the ID hierarchy, which is how the
 * tokenizer places similar items); the zero vector when no item shares even its first token.
 */
final class ColdStartVectors {

    private ColdStartVectors() {
    }

    static float[] forSid(SidTrie trie, ItemVectors vectors, int[] sid) {
        float[] out = new float[vectors.dim()];
        for (int depth = sid.length - 1; depth >= 1; depth--) {
            int node = trie.find(sid, depth);
            if (node < 0) {
                continue;
            }
            int[] count = {0};
            accumulate(trie, node, vectors, out, count);
            if (count[0] > 0) {
                for (int d = 0; d < out.length; d++) {
                    out[d] /= count[0];
                }
                return out;
            }
        }
        return out;
    }

    private static void accumulate(SidTrie trie, int node, ItemVectors vectors, float[] sum, int[] count) {
        int item = trie.item(node);
        if (item >= 0) {
            if (item < vectors.count()) {
                for (int d = 0; d < sum.length; d++) {
                    sum[d] += vectors.get(item, d);
                }
                count[0]++;
            }
            return;
        }
        for (int pos = trie.childrenStart(node); pos < trie.childrenEnd(node); pos++) {
            accumulate(trie, trie.childAt(pos), vectors, sum, count);
        }
    }
}
