package dev.onerec4j.engine.eval;

import dev.onerec4j.engine.model.DecodingSession;
import dev.onerec4j.engine.tokenizer.SemanticIds;
import dev.onerec4j.engine.tokenizer.SidTrie;

/**
 * Beam search over semantic IDs on a {@link DecodingSession}: {@code beamWidth} beams per request, scored by the
 * sum of token log-probabilities (the log-probability of the item). Constrained, it expands a beam only with
 * tokens the trie of valid IDs allows, so every finished beam is a real item, and items of the request's
 * exclusion list (its history) are skipped at the last level; unconstrained, it expands with every token and
 * finished IDs may name no item (the legality ratio counts how many do).
 */
public final class BeamSearch {

    /** The finished beams of each request, best first: items ({@code -1} = an ID that names no item) and scores. */
    public record Result(int[][] items, double[][] scores) {
    }

    private final int beamWidth;

    public BeamSearch(int beamWidth) {
        if (beamWidth < 1) {
            throw new IllegalArgumentException("beam width must be >= 1, got " + beamWidth);
        }
        this.beamWidth = beamWidth;
    }

    /**
     * Decodes every request of {@code session} (a fresh session) to its best {@code beamWidth} items.
     *
     * @param sids     the valid IDs (trie and ID-to-item map)
     * @param excluded per request, items that must not be returned (sorted ascending; null = none)
     * @param constrained whether to follow the trie
     */
    public Result search(DecodingSession session, SemanticIds sids, int[][] excluded, boolean constrained) {
        SidTrie trie = sids.trie();
        int requests = session.requests();
        int levels = session.levels();
        int w = 1;
        int[] nodes = new int[requests];
        double[] scores = new double[requests];
        int[][] paths = new int[requests][levels];
        int[] previous = null;
        TopSelection top = new TopSelection(beamWidth);
        for (int level = 0; level < levels; level++) {
            float[] logp = session.logProbs(previous).toFloatArray();
            int vocab = logp.length / (requests * w);
            boolean last = level == levels - 1;
            int[] newNodes = new int[requests * beamWidth];
            double[] newScores = new double[requests * beamWidth];
            int[] parents = new int[requests * beamWidth];
            int[] tokens = new int[requests * beamWidth];
            int[][] newPaths = new int[requests * beamWidth][];
            for (int r = 0; r < requests; r++) {
                top.clear();
                int[] exclude = excluded == null ? null : excluded[r];
                for (int j = r * w; j < (r + 1) * w; j++) {
                    if (scores[j] == Double.NEGATIVE_INFINITY) {
                        continue;
                    }
                    int rowBase = j * vocab;
                    if (constrained) {
                        int node = nodes[j];
                        for (int pos = trie.childrenStart(node); pos < trie.childrenEnd(node); pos++) {
                            int token = trie.tokenAt(pos);
                            if (last && exclude != null && isExcluded(exclude, trie.item(trie.childAt(pos)))) {
                                continue;
                            }
                            top.offer(scores[j] + logp[rowBase + token], j, pos);
                        }
                    } else {
                        for (int token = 0; token < vocab; token++) {
                            top.offer(scores[j] + logp[rowBase + token], j, token);
                        }
                    }
                }
                for (int i = 0; i < beamWidth; i++) {
                    int slot = r * beamWidth + i;
                    if (i < top.size()) {
                        int parent = top.first(i);
                        int token = constrained ? trie.tokenAt(top.second(i)) : top.second(i);
                        parents[slot] = parent;
                        tokens[slot] = token;
                        newScores[slot] = top.score(i);
                        newNodes[slot] = constrained ? trie.childAt(top.second(i)) : -1;
                        newPaths[slot] = paths[parent].clone();
                        newPaths[slot][level] = token;
                    } else {
                        // Fewer valid continuations than beams: a dead beam that is never expanded.
                        parents[slot] = r * w;
                        newScores[slot] = Double.NEGATIVE_INFINITY;
                        newNodes[slot] = -1;
                        newPaths[slot] = paths[r * w].clone();
                    }
                }
            }
            nodes = newNodes;
            scores = newScores;
            paths = newPaths;
            previous = tokens;
            w = beamWidth;
            if (!last) {
                session.select(parents);
            }
        }
        int[][] items = new int[requests][];
        double[][] out = new double[requests][];
        for (int r = 0; r < requests; r++) {
            int alive = 0;
            for (int i = 0; i < beamWidth; i++) {
                alive += scores[r * beamWidth + i] == Double.NEGATIVE_INFINITY ? 0 : 1;
            }
            items[r] = new int[alive];
            out[r] = new double[alive];
            for (int i = 0; i < alive; i++) {
                int slot = r * beamWidth + i;
                items[r][i] = constrained ? trie.item(nodes[slot]) : sids.item(paths[slot]);
                out[r][i] = scores[slot];
            }
        }
        return new Result(items, out);
    }

    static boolean isExcluded(int[] sortedItems, int item) {
        return java.util.Arrays.binarySearch(sortedItems, item) >= 0;
    }
}
