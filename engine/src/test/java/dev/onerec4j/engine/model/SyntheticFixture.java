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
        return dev.onerec4j.engine.train.PlantedSemanticIds.of(world);
    }
}
