package dev.onerec4j.engine.align;

import dev.onerec4j.engine.data.Histories;
import dev.onerec4j.engine.data.split.Examples;
import dev.onerec4j.engine.model.OneRecModel;
import dev.onerec4j.engine.sample.ContextBatchBuilder;

import java.util.SplittableRandom;

/**
 * Legality of unconstrained sampling (report section 2.4.2): for each example's user, {@code samples} items are
 * drawn by top-k sampling without the trie; the result is the share of drawn IDs that name a real item. This is
 * what the format reward trains for, and what beam search's legality (the top beams only) can hide.
 */
public final class SampledLegality {

    private static final int BATCH = 32;

    private SampledLegality() {
    }

    public static double measure(OneRecModel model, ContextBatchBuilder builder, Histories histories, Examples examples,
                                 int[] subset, int samples, int topK, long seed) {
        GroupSampler sampler = new GroupSampler(Sampling.TOPK, samples, topK);
        long legal = 0;
        long all = 0;
        for (int from = 0; from < subset.length; from += BATCH) {
            int to = Math.min(subset.length, from + BATCH);
            int[] users = new int[to - from];
            int[] positions = new int[to - from];
            for (int i = from; i < to; i++) {
                users[i - from] = examples.user(subset[i]);
                positions[i - from] = examples.position(subset[i]);
            }
            Generation g = sampler.generate(model, builder, histories, users, positions, false,
                    new SplittableRandom(RolloutMaker.mix(seed + from)));
            for (int[] group : g.items()) {
                for (int item : group) {
                    all++;
                    legal += item >= 0 ? 1 : 0;
                }
            }
        }
        return all == 0 ? Double.NaN : (double) legal / all;
    }
}
