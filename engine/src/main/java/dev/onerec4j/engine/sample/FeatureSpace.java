package dev.onerec4j.engine.sample;

import dev.onerec4j.engine.UserException;
import dev.onerec4j.engine.data.Dataset;
import dev.onerec4j.engine.data.UserTable;
import dev.onerec4j.engine.tokenizer.SemanticIds;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What the model's input and output tables are sized by: the item and user counts, the semantic-ID layout, the
 * users' categorical features and the interaction features. Fixed at training time and saved with the run, so a
 * model is only ever used with data of the same shape.
 *
 * @param items                 catalogue size
 * @param users                 user count
 * @param codebookSizes         tokens per SID level
 * @param userFeatureNames      categorical user features, in table order
 * @param userFeatureSizes      their cardinalities (code 0 = unknown)
 * @param interactionFeatures   names of the per-interaction feature vector
 */
public record FeatureSpace(int items, int users, int[] codebookSizes, List<String> userFeatureNames,
                           int[] userFeatureSizes, List<String> interactionFeatures) {

    public FeatureSpace {
        codebookSizes = codebookSizes.clone();
        userFeatureSizes = userFeatureSizes.clone();
        userFeatureNames = List.copyOf(userFeatureNames);
        interactionFeatures = List.copyOf(interactionFeatures);
    }

    /** The feature space of {@code dataset} tokenized by {@code sids}. */
    public static FeatureSpace of(Dataset dataset, SemanticIds sids) {
        if (sids.itemCount() != dataset.numItems()) {
            throw new UserException("the tokenizer has semantic IDs for " + sids.itemCount() + " items but the data set "
                    + dataset.name() + " has " + dataset.numItems() + ": use the tokenizer built for this data set");
        }
        List<String> names = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        for (UserTable.CategoricalFeature f : dataset.users().features()) {
            names.add(f.name());
            sizes.add(f.cardinality());
        }
        return new FeatureSpace(dataset.numItems(), dataset.numUsers(), sids.codebookSizes(), names,
                sizes.stream().mapToInt(Integer::intValue).toArray(), InteractionFeatures.namesFor(dataset));
    }

    public int levels() {
        return codebookSizes.length;
    }

    /** Rows of the concatenated SID token table: the sum of the codebook sizes. */
    public int sidVocabulary() {
        return Arrays.stream(codebookSizes).sum();
    }

    /** Offset of level {@code level}'s tokens in the concatenated SID token table. */
    public int levelOffset(int level) {
        int o = 0;
        for (int l = 0; l < level; l++) {
            o += codebookSizes[l];
        }
        return o;
    }

    /** Rows of the concatenated user-feature table. */
    public int userFeatureRows() {
        return Arrays.stream(userFeatureSizes).sum();
    }

    /**
     * Checks that {@code dataset} has this shape (same items, users, features), or explains in one line why a model
     * trained on another data set cannot be used with it.
     */
    public void requireCompatible(FeatureSpace data, String what) {
        if (data.items != items) {
            throw new UserException(what + " has " + data.items + " items but the model was trained on " + items);
        }
        if (data.users != users) {
            throw new UserException(what + " has " + data.users + " users but the model was trained on " + users);
        }
        if (!Arrays.equals(data.codebookSizes, codebookSizes)) {
            throw new UserException(what + ": semantic-ID codebooks " + Arrays.toString(data.codebookSizes)
                    + " differ from the model's " + Arrays.toString(codebookSizes));
        }
        if (!data.userFeatureNames.equals(userFeatureNames) || !Arrays.equals(data.userFeatureSizes, userFeatureSizes)) {
            throw new UserException(what + ": user features " + data.userFeatureNames + " differ from the model's "
                    + userFeatureNames);
        }
        if (!data.interactionFeatures.equals(interactionFeatures)) {
            throw new UserException(what + ": interaction features " + data.interactionFeatures
                    + " differ from the model's " + interactionFeatures);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FeatureSpace f && f.items == items && f.users == users
                && Arrays.equals(f.codebookSizes, codebookSizes) && f.userFeatureNames.equals(userFeatureNames)
                && Arrays.equals(f.userFeatureSizes, userFeatureSizes) && f.interactionFeatures.equals(interactionFeatures);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(codebookSizes) * 31 + items;
    }

    @Override
    public String toString() {
        return "FeatureSpace[" + items + " items, " + users + " users, SID " + Arrays.toString(codebookSizes)
                + ", user features " + userFeatureNames + ", interaction features " + interactionFeatures + "]";
    }
}
