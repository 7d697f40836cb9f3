package dev.onerec4j.engine.train;

import dev.onerec4j.engine.data.synthetic.SyntheticWorld;
import dev.onerec4j.engine.tokenizer.SemanticIds;

/**
 * Semantic IDs read off a synthetic world's planted structure, the IDs an ideal tokenizer would find: level 0 is
 * the item's latent cluster, levels 1 and 2 its rank inside the cluster written in base
 * {@code ceil(sqrt(cluster size))}. Used where the tokenizer is not the subject (benchmarks, model tests) and as
 * a reference for what a learned tokenizer could reach.
 */
public final class PlantedSemanticIds {

    private PlantedSemanticIds() {
    }

    public static SemanticIds of(SyntheticWorld world) {
        int items = world.dataset().numItems();
        int clusters = world.numClusters();
        int[] rank = new int[items];
        int[] count = new int[clusters];
        for (int i = 0; i < items; i++) {
            rank[i] = count[world.cluster(i)]++;
        }
        int max = 0;
        for (int c : count) {
            max = Math.max(max, c);
        }
        int width = Math.max(1, (int) Math.ceil(Math.sqrt(max)));
        int[] sids = new int[items * 3];
        for (int i = 0; i < items; i++) {
            sids[i * 3] = world.cluster(i);
            sids[i * 3 + 1] = rank[i] / width;
            sids[i * 3 + 2] = rank[i] % width;
        }
        return new SemanticIds(new int[] {clusters, width, width}, sids);
    }
}
