package dev.onerec4j.engine.data.synthetic;

/**
 * Settings of a {@link SyntheticWorld}. The defaults make a quickstart-sized world (2,000 users x 20..40
 * interactions over 1,000 items in 40 clusters) whose planted Recall@10 ceiling is far above popularity.
 *
 * @param numUsers            users
 * @param numItems            items
 * @param numClusters         latent item clusters; content tokens and transitions follow them
 * @param numClasses          item classes (each cluster belongs to one); class 0 is over-exposed
 * @param minHistory          shortest history (interactions per user)
 * @param maxHistory          longest history; lengths are uniform in [minHistory, maxHistory]
 * @param favouriteClusters   clusters a user favours
 * @param tasteFloor          share of a user's cluster taste spread evenly over all clusters
 * @param transitionWeight    weight of the current item's cluster transitions against the user's taste when
 *                            choosing the next cluster (0 = taste only, 1 = Markov only)
 * @param selfTransition      share of a cluster's transitions that stay in the cluster
 * @param successors          other clusters each cluster leads to (sharing the rest of its transitions)
 * @param popularityExponent  Zipf exponent of item popularity inside a cluster
 * @param itemAffinity        strength of the user-item latent match in item choice and engagement
 * @param latentDim           dimension of the user and item latent vectors
 * @param qualitySd           standard deviation of item quality (affects engagement, not exposure)
 * @param overExposure        probability that the logging policy shows an over-exposed-class item instead
 * @param tokensPerItem       topic tokens drawn per item
 * @param topicsPerCluster    size of each cluster's topic token pool
 * @param contentNoise        probability that a topic or brand token comes from a random cluster instead
 * @param meanGapSeconds      mean time between a user's consecutive interactions
 * @param seed                everything is a deterministic function of the settings
 */
public record SyntheticSettings(
        int numUsers, int numItems, int numClusters, int numClasses,
        int minHistory, int maxHistory,
        int favouriteClusters, double tasteFloor, double transitionWeight, double selfTransition, int successors,
        double popularityExponent, double itemAffinity, int latentDim, double qualitySd, double overExposure,
        int tokensPerItem, int topicsPerCluster, double contentNoise, double meanGapSeconds, long seed) {

    public SyntheticSettings {
        check(numUsers >= 1, "numUsers >= 1");
        check(numClusters >= 2, "numClusters >= 2");
        check(numItems >= numClusters, "numItems >= numClusters");
        check(numClasses >= 2 && numClasses <= numClusters, "2 <= numClasses <= numClusters");
        check(minHistory >= 1 && maxHistory >= minHistory, "1 <= minHistory <= maxHistory");
        check(maxHistory < numItems, "maxHistory < numItems (items are not repeated)");
        check(favouriteClusters >= 1 && favouriteClusters <= numClusters, "1 <= favouriteClusters <= numClusters");
        check(tasteFloor > 0 && tasteFloor <= 1, "0 < tasteFloor <= 1");
        check(transitionWeight >= 0 && transitionWeight <= 1, "0 <= transitionWeight <= 1");
        check(selfTransition >= 0 && selfTransition <= 1, "0 <= selfTransition <= 1");
        check(successors >= 1 && successors < numClusters, "1 <= successors < numClusters");
        check(popularityExponent >= 0, "popularityExponent >= 0");
        check(itemAffinity >= 0, "itemAffinity >= 0");
        check(latentDim >= 1, "latentDim >= 1");
        check(qualitySd >= 0, "qualitySd >= 0");
        check(overExposure >= 0 && overExposure < 1, "0 <= overExposure < 1");
        check(tokensPerItem >= 1 && topicsPerCluster >= 1, "tokensPerItem, topicsPerCluster >= 1");
        check(contentNoise >= 0 && contentNoise <= 1, "0 <= contentNoise <= 1");
        check(meanGapSeconds > 0, "meanGapSeconds > 0");
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalArgumentException("SyntheticSettings: expected " + what);
        }
    }

    /** The quickstart world. */
    public static SyntheticSettings defaults() {
        return new SyntheticSettings(2000, 1000, 40, 8, 20, 40,
                3, 0.05, 0.6, 0.5, 2,
                1.0, 0.5, 4, 0.5, 0.1,
                5, 8, 0.1, 3600, 42);
    }

    public SyntheticSettings withSeed(long s) {
        return new SyntheticSettings(numUsers, numItems, numClusters, numClasses, minHistory, maxHistory,
                favouriteClusters, tasteFloor, transitionWeight, selfTransition, successors, popularityExponent,
                itemAffinity, latentDim, qualitySd, overExposure, tokensPerItem, topicsPerCluster, contentNoise,
                meanGapSeconds, s);
    }

    /** Size: users, items, clusters and the history length range. */
    public SyntheticSettings withSize(int users, int items, int clusters, int minLength, int maxLength) {
        return new SyntheticSettings(users, items, clusters, Math.min(numClasses, clusters), minLength, maxLength,
                favouriteClusters, tasteFloor, transitionWeight, selfTransition, successors, popularityExponent,
                itemAffinity, latentDim, qualitySd, overExposure, tokensPerItem, topicsPerCluster, contentNoise,
                meanGapSeconds, seed);
    }

    public SyntheticSettings withOverExposure(double e) {
        return new SyntheticSettings(numUsers, numItems, numClusters, numClasses, minHistory, maxHistory,
                favouriteClusters, tasteFloor, transitionWeight, selfTransition, successors, popularityExponent,
                itemAffinity, latentDim, qualitySd, e, tokensPerItem, topicsPerCluster, contentNoise,
                meanGapSeconds, seed);
    }

    /** How predictable the process is: transition weight, item affinity and content noise. */
    public SyntheticSettings withProcess(double transition, double affinity, double noise) {
        return new SyntheticSettings(numUsers, numItems, numClusters, numClasses, minHistory, maxHistory,
                favouriteClusters, tasteFloor, transition, selfTransition, successors, popularityExponent,
                affinity, latentDim, qualitySd, overExposure, tokensPerItem, topicsPerCluster, noise,
                meanGapSeconds, seed);
    }
}
