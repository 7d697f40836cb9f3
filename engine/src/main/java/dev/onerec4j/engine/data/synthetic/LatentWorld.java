package dev.onerec4j.engine.data.synthetic;

import java.util.SplittableRandom;

/**
 * The hidden structure of a synthetic world, drawn once from the settings' seed: item clusters, popularity,
 * quality, latent vectors, durations and content; cluster classes and transitions; user tastes, latent vectors
 * and static features. Everything else (histories, ground truth, engagement) is computed from this.
 */
final class LatentWorld {

    static final int NUM_REGIONS = 10;
    static final int NUM_AGES = 7;
    static final int NUM_GENDERS = 2;
    static final int BRANDS_PER_CLUSTER = 3;
    static final int NUM_STYLES = 12;
    static final long START_TIME = 1_700_000_000L;
    static final long START_SPREAD_SECONDS = 30L * 24 * 3600;

    final SyntheticSettings s;
    final int numItems;
    final int numUsers;
    final int numClusters;
    final int dim;

    // items
    final int[] itemCluster;
    final double[] popularity;
    final float[] quality;
    final float[] itemLatent;      // numItems x dim
    final float[] duration;        // seconds
    final int[][] itemTopics;      // topic token numbers
    final int[] itemBrand;
    final int[] itemStyle;

    // clusters
    final int[] clusterClass;
    final int[][] clusterItems;
    final int[][] clusterSuccessors;
    final int[] overExposedItems;
    final int overExposedClass = 0;

    // users
    final double[] taste;          // numUsers x numClusters, rows sum to 1
    final float[] userLatent;      // numUsers x dim
    final int[] userRegion;
    final int[] userAge;
    final int[] userGender;

    LatentWorld(SyntheticSettings settings) {
        this.s = settings;
        this.numItems = settings.numItems();
        this.numUsers = settings.numUsers();
        this.numClusters = settings.numClusters();
        this.dim = settings.latentDim();
        SplittableRandom rng = new SplittableRandom(settings.seed());

        // Clusters -> classes: a shuffled, balanced assignment.
        clusterClass = new int[numClusters];
        int[] clusterOrder = permutation(numClusters, rng);
        for (int r = 0; r < numClusters; r++) {
            clusterClass[clusterOrder[r]] = r % settings.numClasses();
        }
        // Items -> clusters: balanced; popularity is Zipf over a random rank inside the cluster.
        itemCluster = new int[numItems];
        int[] itemOrder = permutation(numItems, rng);
        int[] clusterSize = new int[numClusters];
        for (int r = 0; r < numItems; r++) {
            int c = r % numClusters;
            itemCluster[itemOrder[r]] = c;
            clusterSize[c]++;
        }
        clusterItems = new int[numClusters][];
        for (int c = 0; c < numClusters; c++) {
            clusterItems[c] = new int[clusterSize[c]];
        }
        int[] fill = new int[numClusters];
        popularity = new double[numItems];
        for (int i = 0; i < numItems; i++) {
            int c = itemCluster[i];
            clusterItems[c][fill[c]++] = i;
        }
        for (int c = 0; c < numClusters; c++) {
            int[] ranks = permutation(clusterSize[c], rng);
            for (int k = 0; k < clusterSize[c]; k++) {
                popularity[clusterItems[c][k]] = 1.0 / Math.pow(ranks[k] + 1, settings.popularityExponent());
            }
        }
        int oeCount = 0;
        for (int i = 0; i < numItems; i++) {
            if (clusterClass[itemCluster[i]] == overExposedClass) {
                oeCount++;
            }
        }
        overExposedItems = new int[oeCount];
        for (int i = 0, w = 0; i < numItems; i++) {
            if (clusterClass[itemCluster[i]] == overExposedClass) {
                overExposedItems[w++] = i;
            }
        }
        // Cluster transitions: each cluster leads to a few distinct other clusters.
        clusterSuccessors = new int[numClusters][settings.successors()];
        for (int c = 0; c < numClusters; c++) {
            int[] others = permutation(numClusters - 1, rng);
            for (int k = 0; k < settings.successors(); k++) {
                clusterSuccessors[c][k] = others[k] >= c ? others[k] + 1 : others[k];
            }
        }
        // Item features.
        quality = new float[numItems];
        itemLatent = new float[numItems * dim];
        duration = new float[numItems];
        double[] clusterDuration = new double[numClusters];
        for (int c = 0; c < numClusters; c++) {
            clusterDuration[c] = Math.exp(Math.log(30) + 0.6 * gaussian(rng));
        }
        double latentScale = 1.0 / Math.sqrt(dim);
        itemTopics = new int[numItems][settings.tokensPerItem()];
        itemBrand = new int[numItems];
        itemStyle = new int[numItems];
        for (int i = 0; i < numItems; i++) {
            int c = itemCluster[i];
            quality[i] = (float) (settings.qualitySd() * gaussian(rng));
            for (int d = 0; d < dim; d++) {
                itemLatent[i * dim + d] = (float) (latentScale * gaussian(rng));
            }
            duration[i] = (float) Math.min(600, Math.max(3, clusterDuration[c] * Math.exp(0.3 * gaussian(rng))));
            for (int t = 0; t < settings.tokensPerItem(); t++) {
                int source = rng.nextDouble() < settings.contentNoise() ? rng.nextInt(numClusters) : c;
                itemTopics[i][t] = source * settings.topicsPerCluster() + rng.nextInt(settings.topicsPerCluster());
            }
            int brandSource = rng.nextDouble() < settings.contentNoise() ? rng.nextInt(numClusters) : c;
            itemBrand[i] = brandSource * BRANDS_PER_CLUSTER + rng.nextInt(BRANDS_PER_CLUSTER);
            itemStyle[i] = rng.nextInt(NUM_STYLES);
        }
        // Users: a few favourite clusters (Dirichlet(1) weights) over an even floor; features follow the
        // favourites so that static features carry taste.
        taste = new double[numUsers * numClusters];
        userLatent = new float[numUsers * dim];
        userRegion = new int[numUsers];
        userAge = new int[numUsers];
        userGender = new int[numUsers];
        int fav = settings.favouriteClusters();
        for (int u = 0; u < numUsers; u++) {
            int[] favourites = permutation(numClusters, rng);
            double[] weights = new double[fav];
            double sum = 0;
            for (int k = 0; k < fav; k++) {
                weights[k] = -Math.log(1.0 - rng.nextDouble());
                sum += weights[k];
            }
            int base = u * numClusters;
            for (int c = 0; c < numClusters; c++) {
                taste[base + c] = settings.tasteFloor() / numClusters;
            }
            int best = 0;
            for (int k = 0; k < fav; k++) {
                taste[base + favourites[k]] += (1 - settings.tasteFloor()) * weights[k] / sum;
                if (weights[k] > weights[best]) {
                    best = k;
                }
            }
            int top = favourites[best];
            for (int d = 0; d < dim; d++) {
                userLatent[u * dim + d] = (float) gaussian(rng);
            }
            userRegion[u] = rng.nextDouble() < 0.8 ? top % NUM_REGIONS : rng.nextInt(NUM_REGIONS);
            userAge[u] = rng.nextDouble() < 0.6 ? (top / NUM_REGIONS) % NUM_AGES : rng.nextInt(NUM_AGES);
            userGender[u] = rng.nextDouble() < 0.7 ? clusterClass[top] % NUM_GENDERS : rng.nextInt(NUM_GENDERS);
        }
    }

    /** The user-item latent match z (about N(0,1)). */
    double match(int user, int item) {
        double z = 0;
        int ub = user * dim;
        int ib = item * dim;
        for (int d = 0; d < dim; d++) {
            z += userLatent[ub + d] * itemLatent[ib + d];
        }
        return z;
    }

    double taste(int user, int cluster) {
        return taste[user * numClusters + cluster];
    }

    boolean isOverExposed(int item) {
        return clusterClass[itemCluster[item]] == overExposedClass;
    }

    static int[] permutation(int n, SplittableRandom rng) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    static double gaussian(SplittableRandom rng) {
        // Box-Muller: SplittableRandom has no nextGaussian with a stable algorithm across JDKs.
        double u1 = 1.0 - rng.nextDouble();
        double u2 = rng.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
    }
}
