package dev.onerec4j.engine.eval;

import dev.onerec4j.engine.data.Histories;
import dev.onerec4j.engine.model.DecodingSession;
import dev.onerec4j.engine.model.OneRecModel;
import dev.onerec4j.engine.sample.ContextBatch;
import dev.onerec4j.engine.sample.ContextBatchBuilder;

import java.util.Arrays;

/**
 * Ranks with a OneRec model: trie-constrained beam search of width {@code beamWidth} (at least {@code k}) over
 * the items' semantic IDs, history items skipped at the last level when excluded.
 */
public final class GenerativeRanker implements Ranker {

    private final OneRecModel model;
    private final ContextBatchBuilder builder;
    private final Histories histories;
    private final int beamWidth;

    public GenerativeRanker(OneRecModel model, ContextBatchBuilder builder, Histories histories, int beamWidth) {
        this.model = model;
        this.builder = builder;
        this.histories = histories;
        this.beamWidth = beamWidth;
    }

    @Override
    public int[][] rank(int[] users, int[] positions, int k, boolean excludeHistory) {
        BeamSearch.Result r = search(users, positions, excludeHistory, true, Math.max(k, beamWidth));
        int[][] out = new int[users.length][];
        for (int i = 0; i < out.length; i++) {
            out[i] = Arrays.copyOf(r.items()[i], Math.min(k, r.items()[i].length));
        }
        return out;
    }

    /** Unconstrained beam search: for each request, the items of its top {@code k} beams ({@code -1} = no item). */
    public int[][] unconstrained(int[] users, int[] positions, int k) {
        BeamSearch.Result r = search(users, positions, false, false, Math.max(k, beamWidth));
        int[][] out = new int[users.length][];
        for (int i = 0; i < out.length; i++) {
            out[i] = Arrays.copyOf(r.items()[i], Math.min(k, r.items()[i].length));
        }
        return out;
    }

    private BeamSearch.Result search(int[] users, int[] positions, boolean exclude, boolean constrained, int width) {
        ContextBatch batch = builder.build(users, positions);
        DecodingSession session = model.startDecoding(batch);
        int[][] excluded = exclude ? HistoryExclusion.of(histories, users, positions) : null;
        return new BeamSearch(width).search(session, model.semanticIds(), excluded, constrained);
    }

    @Override
    public String describe() {
        return "OneRec " + model.config().architecture.id() + ", trie-constrained beam search, width " + beamWidth;
    }
}
