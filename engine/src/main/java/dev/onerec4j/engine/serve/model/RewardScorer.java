package dev.onerec4j.engine.serve.model;

import dev.onerec4j.engine.UserException;
import dev.onerec4j.engine.data.Dataset;
import dev.onerec4j.engine.data.DatasetParts;
import dev.onerec4j.engine.reward.ItemTokens;
import dev.onerec4j.engine.reward.RewardFeatures;
import dev.onerec4j.engine.reward.TrainedReward;
import dev.onerec4j.engine.serve.ListSelector;
import dev.onerec4j.engine.serve.RequestBatch;

import java.nio.file.Path;

/**
 * Scores a served request's generated candidates with a trained P-Score reward model (report section 4.5, "OneRec
 * with RM selection"). The reward model reads the request as sent: its history (the last interactions, with the
 * positive flags training derived from their feedback) and its user features, through the same
 * {@link RewardFeatures} routine that built its training rows; item content tokens come from the reward folder.
 * Items added to the served catalogue after the reward model was trained have no reward-model representation:
 * they get a P-Score of 0 (below every scored candidate, whose P-Score is a probability in (0, 1)) and are left
 * out of histories. Thread-safe.
 */
public final class RewardScorer implements ListSelector.Scorer, AutoCloseable {

    private final Path folder;
    private final TrainedReward reward;

    private RewardScorer(Path folder, TrainedReward reward) {
        this.folder = folder;
        this.reward = reward;
    }

    /**
     * Opens reward folder {@code folder} for a run with catalogue {@code catalog}, whose first {@code runItems} items
     * are the ones the run was trained on (the rest were added while serving).
     *
     * @throws UserException when the folder is missing or unreadable, or was trained on another catalogue
     */
    public static RewardScorer open(Path folder, ServingCatalog catalog, int runItems) {
        TrainedReward reward = TrainedReward.openAlone(folder);
        try {
            RewardScorer scorer = new RewardScorer(folder, reward);
            scorer.check(catalog, runItems);
            return scorer;
        } catch (RuntimeException e) {
            reward.close();
            throw e;
        }
    }

    /**
     * Throws a {@link UserException} unless the reward model was trained on the run's items (the first
     * {@code runItems} of {@code catalog}, same ids in the same order) and its user features.
     */
    public void check(ServingCatalog catalog, int runItems) {
        TrainedReward.Info info = reward.info();
        if (info.config().userIdEmbedding) {
            throw new UserException("the reward model in " + folder + " embeds user ids, which served requests do not "
                    + "carry: train it again without --user-ids to select with it");
        }
        int n = info.items();
        String[] ids = new String[Math.min(n, catalog.itemCount())];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = catalog.id(i);
        }
        if (n != runItems || n > catalog.itemCount() || !ItemTokens.digest(ids, n).equals(info.itemDigest())) {
            throw new UserException("the reward model in " + folder + " was trained on the " + n + " items of "
                    + info.dataset() + ", not on the served run's catalogue of " + runItems
                    + " items: train it with train-reward on the run's data set");
        }
        int rows = 0;
        for (DatasetParts.UserFeature f : catalog.userFeatures()) {
            rows += f.values().size();
        }
        if (rows != info.userFeatureRows()) {
            throw new UserException("the reward model in " + folder + " reads " + info.userFeatureRows()
                    + " user feature values, the served run has " + rows + " (" + catalog.userFeatures().size()
                    + " features): train it with train-reward on the run's data set");
        }
    }

    /** The selector's name in logs and metrics. */
    public String name() {
        return "p-score";
    }

    @Override
    public double[] score(RequestBatch batch, int request, int[] items) {
        Dataset histories = batch.histories();
        RewardFeatures features = new RewardFeatures(histories.histories(), histories.users(), reward.itemTokens(),
                reward.info().config().history);
        int known = 0;
        for (int item : items) {
            known += item < features.numItems() ? 1 : 0;
        }
        int[] scored = new int[known];
        for (int i = 0, j = 0; i < items.length; i++) {
            if (items[i] < features.numItems()) {
                scored[j++] = items[i];
            }
        }
        double[] out = new double[items.length];
        if (known == 0) {
            return out;
        }
        double[] p = reward.scorer(features).score(request, histories.histories().length(request), scored);
        for (int i = 0, j = 0; i < items.length; i++) {
            if (items[i] < features.numItems()) {
                out[i] = p[j++];
            }
        }
        return out;
    }

    @Override
    public void close() {
        reward.close();
    }
}
