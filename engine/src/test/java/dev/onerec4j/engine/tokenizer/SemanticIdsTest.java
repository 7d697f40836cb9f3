package dev.onerec4j.engine.tokenizer;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SemanticIdsTest {

    private static int[] randomUniqueSids(Random r, int items, int[] k) {
        Set<String> seen = new HashSet<>();
        int[] sids = new int[items * k.length];
        for (int i = 0; i < items; i++) {
            int[] sid;
            do {
                sid = new int[k.length];
                for (int l = 0; l < k.length; l++) {
                    sid[l] = r.nextInt(k[l]);
                }
            } while (!seen.add(java.util.Arrays.toString(sid)));
            System.arraycopy(sid, 0, sids, i * k.length, k.length);
        }
        return sids;
    }

    @Test
    void trieHoldsExactlyTheValidPrefixes() {
        Random r = new Random(3);
        int[] k = {5, 4, 6};
        int[] sids = randomUniqueSids(r, 60, k);
        SemanticIds ids = new SemanticIds(k, sids);
        SidTrie trie = ids.trie();
        Set<String> prefixes = new HashSet<>();
        for (int i = 0; i < 60; i++) {
            int[] sid = ids.sid(i);
            assertEquals(i, ids.item(sid));
            int node = trie.find(sid, 3);
            assertEquals(i, trie.item(node));
            for (int d = 1; d <= 3; d++) {
                prefixes.add(java.util.Arrays.toString(java.util.Arrays.copyOf(sid, d)));
            }
        }
        // Every node other than the root is one distinct prefix; children are sorted and lead back to their prefix.
        assertEquals(prefixes.size() + 1, trie.nodeCount());
        for (int a = 0; a < 5; a++) {
            for (int b = 0; b < 4; b++) {
                int node = trie.find(new int[] {a, b}, 2);
                boolean valid = prefixes.contains(java.util.Arrays.toString(new int[] {a, b}));
                assertEquals(valid, node >= 0);
                if (node >= 0) {
                    int prev = -1;
                    for (int p = trie.childrenStart(node); p < trie.childrenEnd(node); p++) {
                        assertTrue(trie.tokenAt(p) > prev);
                        prev = trie.tokenAt(p);
                        assertEquals(3, trie.depth(trie.childAt(p)));
                    }
                }
            }
        }
    }

    @Test
    void coldStartItemIsDecodableAtOnce() {
        SemanticIds ids = new SemanticIds(new int[] {3, 3}, new int[] {0, 0, 0, 1, 2, 2});
        assertEquals(-1, ids.trie().find(new int[] {1, 1}, 2));
        int item = ids.add(new int[] {1, 1});
        assertEquals(3, item);
        assertEquals(3, ids.trie().item(ids.trie().find(new int[] {1, 1}, 2)));
        assertArrayEquals(new int[] {1, 1}, ids.sid(3));
        assertThrows(IllegalArgumentException.class, () -> ids.add(new int[] {0, 0}));
        assertThrows(IllegalArgumentException.class, () -> ids.add(new int[] {3, 0}));
    }

    @Test
    void duplicateIdsAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SemanticIds(new int[] {2, 2}, new int[] {0, 1, 0, 1}));
        assertTrue(e.getMessage().contains("share"), e.getMessage());
    }
}
