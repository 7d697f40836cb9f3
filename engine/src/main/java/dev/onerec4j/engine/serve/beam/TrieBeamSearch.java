package dev.onerec4j.engine.serve.beam;

import dev.onerec4j.engine.tokenizer.SidTrie;

import java.util.Arrays;

/**
 * Trie-constrained beam search over semantic IDs: {@code beamWidth} beams per request, each expanded only with the
 * tokens the trie of valid IDs allows after its prefix, scored by the sum of token log-probabilities. At the last
 * level, items a request excludes (its history, items it asked to leave out) are skipped, so no beam is spent on
 * them; every finished beam is a distinct leaf of the trie, hence a distinct item.
 *
 * <p>One instance per thread: its buffers grow to the largest search seen and are reused, so a search allocates
 * only its result.
 */
public final class TrieBeamSearch {

    private float[] logp = new float[0];
    private int[] nodes = new int[0];
    private int[] nextNodes = new int[0];
    private double[] scores = new double[0];
    private double[] nextScores = new double[0];
    private int[] tokens = new int[0];
    private int[] parents = new int[0];
    /** Per level, each beam's parent (index into the previous level's beams) and token, for the backtrack. */
    private int[][] parentTrail = new int[0][];
    private int[][] tokenTrail = new int[0][];
    private BeamHeap heap = new BeamHeap(0);

    /**
     * Searches every request of {@code decoder} (fresh, at level 0).
     *
     * @param excluded per request, a filter of items not to return (null = none)
     */
    public BeamResults search(StepDecoder decoder, SidTrie trie, int beamWidth, ItemFilter[] excluded) {
        if (beamWidth < 1) {
            throw new IllegalArgumentException("beam search: beam width must be >= 1, got " + beamWidth);
        }
        int requests = decoder.requests();
        int levels = decoder.levels();
        if (trie.levels() != levels) {
            throw new IllegalArgumentException("beam search: a trie of " + trie.levels() + " levels for a decoder of "
                    + levels);
        }
        if (excluded != null && excluded.length != requests) {
            throw new IllegalArgumentException("beam search: " + excluded.length + " exclusion filters for " + requests
                    + " requests");
        }
        int cap = requests * beamWidth;
        ensure(requests, beamWidth, levels, decoder);
        int w = 1;
        Arrays.fill(nodes, 0, requests, trie.root());
        Arrays.fill(scores, 0, requests, 0.0);
        for (int level = 0; level < levels; level++) {
            int vocab = decoder.vocabulary(level);
            decoder.logProbs(level, tokens, logp);
            boolean last = level == levels - 1;
            int[] pTrail = parentTrail[level];
            int[] tTrail = tokenTrail[level];
            for (int r = 0; r < requests; r++) {
                heap.reset(beamWidth);
                ItemFilter exclude = excluded == null ? null : excluded[r];
                for (int j = r * w; j < (r + 1) * w; j++) {
                    double base = scores[j];
                    if (base == Double.NEGATIVE_INFINITY) {
                        continue;
                    }
                    int node = nodes[j];
                    int row = j * vocab;
                    int end = trie.childrenEnd(node);
                    for (int pos = trie.childrenStart(node); pos < end; pos++) {
                        if (last && exclude != null && exclude.contains(trie.item(trie.childAt(pos)))) {
                            continue;
                        }
                        heap.offer(base + logp[row + trie.tokenAt(pos)], j, pos);
                    }
                }
                heap.sortBestFirst();
                int found = heap.size();
                for (int i = 0; i < beamWidth; i++) {
                    int slot = r * beamWidth + i;
                    if (i < found) {
                        int pos = heap.position(i);
                        parents[slot] = heap.parent(i);
                        tokens[slot] = trie.tokenAt(pos);
                        nextNodes[slot] = trie.childAt(pos);
                        nextScores[slot] = heap.score(i);
                    } else {
                        // Fewer valid continuations than beams: a dead beam, never expanded again.
                        parents[slot] = r * w;
                        tokens[slot] = 0;
                        nextNodes[slot] = trie.root();
                        nextScores[slot] = Double.NEGATIVE_INFINITY;
                    }
                }
            }
            System.arraycopy(parents, 0, pTrail, 0, cap);
            System.arraycopy(tokens, 0, tTrail, 0, cap);
            int[] tn = nodes;
            nodes = nextNodes;
            nextNodes = tn;
            double[] ts = scores;
            scores = nextScores;
            nextScores = ts;
            w = beamWidth;
            if (!last) {
                decoder.select(Arrays.copyOf(parents, cap));
            }
        }
        return collect(trie, requests, beamWidth, levels);
    }

    private BeamResults collect(SidTrie trie, int requests, int beamWidth, int levels) {
        int[][] items = new int[requests][];
        double[][] out = new double[requests][];
        int[][] sids = new int[requests][];
        for (int r = 0; r < requests; r++) {
            int alive = 0;
            while (alive < beamWidth && scores[r * beamWidth + alive] != Double.NEGATIVE_INFINITY) {
                alive++;
            }
            items[r] = new int[alive];
            out[r] = new double[alive];
            sids[r] = new int[alive * levels];
            for (int i = 0; i < alive; i++) {
                int slot = r * beamWidth + i;
                items[r][i] = trie.item(nodes[slot]);
                out[r][i] = scores[slot];
                int beam = slot;
                for (int level = levels - 1; level >= 0; level--) {
                    sids[r][i * levels + level] = tokenTrail[level][beam];
                    beam = parentTrail[level][beam];
                }
            }
        }
        return new BeamResults(levels, items, out, sids);
    }

    private void ensure(int requests, int beamWidth, int levels, StepDecoder decoder) {
        int cap = requests * beamWidth;
        int maxVocab = 0;
        for (int l = 0; l < levels; l++) {
            maxVocab = Math.max(maxVocab, decoder.vocabulary(l));
        }
        if (logp.length < (long) cap * maxVocab) {
            logp = new float[Math.multiplyExact(cap, maxVocab)];
        }
        if (nodes.length < cap) {
            nodes = new int[cap];
            nextNodes = new int[cap];
            scores = new double[cap];
            nextScores = new double[cap];
            tokens = new int[cap];
            parents = new int[cap];
        }
        if (parentTrail.length < levels || parentTrail[0].length < cap) {
            parentTrail = new int[levels][cap];
            tokenTrail = new int[levels][cap];
        }
        if (heap.capacityLimit() < beamWidth) {
            heap = new BeamHeap(beamWidth);
        }
    }
}
