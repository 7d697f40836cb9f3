package dev.onerec4j.engine.tokenizer;

import org.eclipse.collections.api.list.primitive.MutableIntList;
import org.eclipse.collections.impl.list.mutable.primitive.IntArrayList;

import java.util.Arrays;

/**
 * The prefix tree of valid semantic IDs, as flat arrays for decoding. Node 0 is the root (the empty prefix); a
 * node at depth {@code d} is a valid prefix of {@code d} tokens; its children are the tokens that may follow,
 * sorted, in {@code tokens[childStart[n] .. childStart[n + 1])} with the child nodes at the same positions of
 * {@code childNodes}. Nodes at depth {@code levels} are complete IDs and carry their item. Immutable and
 * thread-safe; a cold-start addition produces a new trie.
 */
public final class SidTrie {

    private final int levels;
    private final int[] childStart;
    private final int[] tokens;
    private final int[] childNodes;
    private final int[] depth;
    private final int[] leafItem;

    private SidTrie(int levels, int[] childStart, int[] tokens, int[] childNodes, int[] depth, int[] leafItem) {
        this.levels = levels;
        this.childStart = childStart;
        this.tokens = tokens;
        this.childNodes = childNodes;
        this.depth = depth;
        this.leafItem = leafItem;
    }

    /**
     * Builds the trie of {@code sids} (row {@code i} is item {@code items[i]}'s ID of {@code levels} tokens, in a
     * flat array). IDs must be unique.
     */
    public static SidTrie build(int levels, int[] sids, int[] items) {
        int n = items.length;
        if (sids.length != n * levels) {
            throw new IllegalArgumentException("trie: " + sids.length + " tokens for " + n + " items of " + levels + " levels");
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (x, y) -> Arrays.compare(sids, x * levels, x * levels + levels, sids, y * levels, y * levels + levels));
        // Breadth-first layout: nodes of depth d are numbered before those of depth d + 1.
        MutableIntList nodeDepth = new IntArrayList();
        MutableIntList nodeItem = new IntArrayList();
        nodeDepth.add(0);
        nodeItem.add(-1);
        // For each depth, the sorted distinct prefixes become nodes; children ranges follow from sort order.
        int[][] nodeOfPrefix = new int[levels + 1][n];
        MutableIntList[] levelTokens = new MutableIntList[levels + 1];
        MutableIntList[] levelParents = new MutableIntList[levels + 1];
        for (int d = 1; d <= levels; d++) {
            levelTokens[d] = new IntArrayList();
            levelParents[d] = new IntArrayList();
        }
        int nextNode = 1;
        for (int d = 1; d <= levels; d++) {
            int previousNode = -1;
            for (int r = 0; r < n; r++) {
                int row = order[r];
                int parent = d == 1 ? 0 : nodeOfPrefix[d - 1][r];
                boolean samePrefix = r > 0 && (d == 1 || nodeOfPrefix[d - 1][r - 1] == parent)
                        && sids[order[r - 1] * levels + d - 1] == sids[row * levels + d - 1];
                if (samePrefix) {
                    nodeOfPrefix[d][r] = previousNode;
                    if (d == levels) {
                        throw new IllegalArgumentException("trie: items " + items[order[r - 1]] + " and " + items[row]
                                + " share the semantic ID " + Arrays.toString(Arrays.copyOfRange(sids, row * levels, row * levels + levels)));
                    }
                    continue;
                }
                int node = nextNode++;
                nodeOfPrefix[d][r] = node;
                previousNode = node;
                nodeDepth.add(d);
                nodeItem.add(d == levels ? items[row] : -1);
                levelTokens[d].add(sids[row * levels + d - 1]);
                levelParents[d].add(parent);
            }
        }
        int total = nextNode;
        int[] childStart = new int[total + 1];
        int[] tokens = new int[total - 1];
        int[] childNodes = new int[total - 1];
        // Children of a parent are contiguous and sorted in node order, because prefixes were visited sorted.
        int[] counts = new int[total];
        int node = 1;
        for (int d = 1; d <= levels; d++) {
            for (int i = 0; i < levelParents[d].size(); i++) {
                counts[levelParents[d].get(i)]++;
            }
        }
        for (int p = 0; p < total; p++) {
            childStart[p + 1] = childStart[p] + counts[p];
        }
        int[] fill = Arrays.copyOf(childStart, total);
        for (int d = 1; d <= levels; d++) {
            for (int i = 0; i < levelParents[d].size(); i++) {
                int p = levelParents[d].get(i);
                tokens[fill[p]] = levelTokens[d].get(i);
                childNodes[fill[p]] = node++;
                fill[p]++;
            }
        }
        return new SidTrie(levels, childStart, tokens, childNodes, nodeDepth.toArray(), nodeItem.toArray());
    }

    public int levels() {
        return levels;
    }

    public int root() {
        return 0;
    }

    public int nodeCount() {
        return depth.length;
    }

    /** Depth of {@code node}: the number of tokens of its prefix. */
    public int depth(int node) {
        return depth[node];
    }

    public int childCount(int node) {
        return childStart[node + 1] - childStart[node];
    }

    /** Start of {@code node}'s children in {@link #tokenAt}/{@link #childAt} positions. */
    public int childrenStart(int node) {
        return childStart[node];
    }

    public int childrenEnd(int node) {
        return childStart[node + 1];
    }

    /** The token at child position {@code pos} (see {@link #childrenStart}). */
    public int tokenAt(int pos) {
        return tokens[pos];
    }

    /** The child node at child position {@code pos}. */
    public int childAt(int pos) {
        return childNodes[pos];
    }

    /** The child of {@code node} reached by {@code token}, or -1 when that prefix is not valid. */
    public int child(int node, int token) {
        int lo = childStart[node];
        int hi = childStart[node + 1] - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int t = tokens[mid];
            if (t < token) {
                lo = mid + 1;
            } else if (t > token) {
                hi = mid - 1;
            } else {
                return childNodes[mid];
            }
        }
        return -1;
    }

    /** The item of a complete-ID node, or -1 for an inner node. */
    public int item(int node) {
        return leafItem[node];
    }

    /** The node of a full or partial prefix, or -1 when it is not a valid prefix. */
    public int find(int[] prefix, int length) {
        int node = 0;
        for (int i = 0; i < length && node >= 0; i++) {
            node = child(node, prefix[i]);
        }
        return node;
    }
}
