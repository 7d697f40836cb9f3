package dev.onerec4j.engine.model;

import dev.onerec4j.engine.data.Dataset;
import dev.onerec4j.engine.data.split.LeaveOneOutSplit;
import dev.onerec4j.engine.data.synthetic.SyntheticSettings;
import dev.onerec4j.engine.data.synthetic.SyntheticWorld;
import dev.onerec4j.engine.tokenizer.SemanticIds;

/**
 * A small synthetic world for model tests, with semantic IDs planted from its latent clusters: level 0 is the
 * item's cluster, levels 1 and 2 its rank inside the cluster in base {@code width}.
 */
public final class SyntheticFixture {

    public final SyntheticWorld world;
    public final Dataset dataset;
    public final LeaveOneOutSplit split;
    public final SemanticIds sids;

    public SyntheticFixture(SyntheticSettings settings) {
        this.world = SyntheticWorld.create(settings);
        this.dataset = world.dataset();
        this.split = LeaveOneOutSplit.of(dataset.histories());
        this.sids = clusterSids(world, dataset.numItems());
    }

    /** A world that trains quickly: 800 users, 240 items in 12 clusters, histories of 12..24. */
    public static SyntheticFixture small(long seed) {
        return new SyntheticFixture(SyntheticSettings.defaults().withSize(800, 240, 12, 12, 24)
                .withProcess(0.8, 0.5, 0.05).withSeed(seed));
    }

    public static SemanticIds clusterSids(SyntheticWorld world, int items) {
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
        int width = (int) Math.ceil(Math.sqrt(max));
        int[] sids = new int[items * 3];
        for (int i = 0; i < items; i++) {
            sids[i * 3] = world.cluster(i);
            sids[i * 3 + 1] = rank[i] / width;
            sids[i * 3 + 2] = rank[i] % width;
        }
        return new SemanticIds(new int[] {clusters, width, width}, sids);
    }
}
