package dev.onerec4j.engine.align;

import dev.onerec4j.engine.data.Histories;
import dev.onerec4j.engine.eval.BeamSearch;
import dev.onerec4j.engine.eval.HistoryExclusion;
import dev.onerec4j.engine.model.DecodingSession;
import dev.onerec4j.engine.model.OneRecModel;
import dev.onerec4j.engine.sample.ContextBatchBuilder;
import dev.onerec4j.tensors.GradMode;
import dev.onerec4j.tensors.MemoryScope;

import java.util.SplittableRandom;

/**
 * Generates each request's group of items with a policy: beam search of width {@code group} or top-k sampling.
 * Constrained generation follows the trie and skips the user's history items (as serving does); unconstrained
 * generation may produce IDs that name no item (the format reward's samples).
 */
public final class GroupSampler {

    private final Sampling sampling;
    private final int group;
    private final int topK;

    public GroupSampler(Sampling sampling, int group, int topK) {
        if (group < 1) {
            throw new IllegalArgumentException("group size must be >= 1, got " + group);
        }
        this.sampling = sampling;
        this.group = group;
        this.topK = topK;
    }

    public int group() {
        return group;
    }

    public Sampling sampling() {
        return sampling;
    }

    /** The groups for requests (users[i] at history position positions[i]); gradients off, own memory scope. */
    public Generation generate(OneRecModel policy, ContextBatchBuilder builder, Histories histories, int[] users,
                               int[] positions, boolean constrained, SplittableRandom rng) {
        try (var g = GradMode.disabled(); MemoryScope s = MemoryScope.open("rl-generate")) {
            DecodingSession session = policy.startDecoding(builder.build(users, positions));
            int[][] excluded = constrained ? HistoryExclusion.of(histories, users, positions) : null;
            if (sampling == Sampling.BEAM) {
                BeamSearch.Result r = new BeamSearch(group).search(session, policy.semanticIds(), excluded, constrained);
                return new Generation(r.items(), r.scores());
            }
            return new TopKSampler(group, topK).sample(session, policy.semanticIds(), excluded, constrained, rng);
        }
    }
}
