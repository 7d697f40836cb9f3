package dev.onerec4j.engine.data.synthetic;

import java.util.SplittableRandom;

/**
 * One user's position in the logging process: which items were consumed and the remaining choice mass per
 * cluster. Sampling the next item ({@link #sample}) and the exact next-item distribution
 * ({@link #distribution}) are computed from the same state by the same formulas:
 * <pre>
 *   P(i) = (1 - e) * pi(c_i) / Z * v_i / V_{c_i}  +  e * [i over-exposed] * w_i / W_oe      (i not consumed)
 *   pi(c) = a * T(c_cur, c) + (1 - a) * taste_u(c)     (pi = taste_u for the first interaction)
 * </pre>
 * with v_i = w_i exp(lambda z_ui) (popularity times latent match), V_c the unconsumed v-mass of cluster c,
 * Z the sum of pi over clusters that still have unconsumed items, W_oe the unconsumed popularity of the
 * over-exposed class and e the over-exposure rate (0 once that class is used up). Items are never repeated.
 */
final class UserState {

    private final LatentWorld w;
    private final int user;
    private final double[] weight;
    private final boolean[] consumed;
    private final double[] clusterMass;
    private final int[] clusterRemaining;
    private double overExposedMass;
    private int overExposedRemaining;
    private final double[] clusterProb;
    private final boolean[] clusterReady;

    UserState(LatentWorld world, int user) {
        this.w = world;
        this.user = user;
        this.weight = new double[world.numItems];
        this.consumed = new boolean[world.numItems];
        this.clusterMass = new double[world.numClusters];
        this.clusterRemaining = new int[world.numClusters];
        this.clusterProb = new double[world.numClusters];
        this.clusterReady = new boolean[world.numClusters];
        for (int c = 0; c < world.numClusters; c++) {
            clusterRemaining[c] = world.clusterItems[c].length;
        }
        for (int i : world.overExposedItems) {
            overExposedMass += world.popularity[i];
        }
        overExposedRemaining = world.overExposedItems.length;
    }

    /** Marks {@code item} consumed; consuming an item twice is an error in the prefix. */
    void consume(int item) {
        if (item < 0 || item >= consumed.length) {
            throw new IllegalArgumentException("item " + item + " is not in 0.." + (consumed.length - 1));
        }
        if (consumed[item]) {
            throw new IllegalArgumentException("item " + item + " occurs twice in the history of user " + user
                    + "; the synthetic process never repeats an item");
        }
        int c = w.itemCluster[item];
        ensureCluster(c);
        consumed[item] = true;
        clusterMass[c] -= weight[item];
        if (--clusterRemaining[c] == 0) {
            clusterMass[c] = 0;
        }
        if (w.isOverExposed(item)) {
            overExposedMass -= w.popularity[item];
            if (--overExposedRemaining == 0) {
                overExposedMass = 0;
            }
        }
    }

    /** Draws the next item after {@code current} (-1 for the first interaction). */
    int sample(int current, SplittableRandom rng) {
        double coin = rng.nextDouble();
        if (overExposedRemaining > 0 && coin < w.s.overExposure()) {
            double target = rng.nextDouble() * overExposedMass;
            int last = -1;
            for (int i : w.overExposedItems) {
                if (!consumed[i]) {
                    last = i;
                    target -= w.popularity[i];
                    if (target < 0) {
                        return i;
                    }
                }
            }
            return last;
        }
        double z = clusterProbabilities(current);
        double target = rng.nextDouble() * z;
        int cluster = -1;
        for (int c = 0; c < clusterProb.length; c++) {
            if (clusterProb[c] > 0) {
                cluster = c;
                target -= clusterProb[c];
                if (target < 0) {
                    break;
                }
            }
        }
        ensureCluster(cluster);
        double itemTarget = rng.nextDouble() * clusterMass[cluster];
        int last = -1;
        for (int i : w.clusterItems[cluster]) {
            if (!consumed[i]) {
                last = i;
                itemTarget -= weight[i];
                if (itemTarget < 0) {
                    return i;
                }
            }
        }
        return last;
    }

    /** Writes the exact distribution of the next item after {@code current} into {@code out} (sums to 1). */
    void distribution(int current, double[] out) {
        double e = overExposedRemaining > 0 ? w.s.overExposure() : 0;
        double z = clusterProbabilities(current);
        for (int c = 0; c < clusterReady.length; c++) {
            ensureCluster(c);
        }
        for (int i = 0; i < out.length; i++) {
            if (consumed[i]) {
                out[i] = 0;
                continue;
            }
            int c = w.itemCluster[i];
            double p = (1 - e) * clusterProb[c] / z * weight[i] / clusterMass[c];
            if (e > 0 && w.isOverExposed(i)) {
                p += e * w.popularity[i] / overExposedMass;
            }
            out[i] = p;
        }
    }

    /**
     * Computes the choice weights of cluster {@code c}'s items on first use (generation touches only the
     * clusters it visits). Masses are always summed in cluster order, so lazily and eagerly prepared states hold
     * identical numbers.
     */
    private void ensureCluster(int c) {
        if (clusterReady[c]) {
            return;
        }
        double lambda = w.s.itemAffinity();
        double mass = 0;
        for (int i : w.clusterItems[c]) {
            weight[i] = w.popularity[i] * Math.exp(lambda * w.match(user, i));
            if (!consumed[i]) {
                mass += weight[i];
            }
        }
        clusterMass[c] = clusterRemaining[c] == 0 ? 0 : mass;
        clusterReady[c] = true;
    }

    /** Fills clusterProb with pi(c) (0 for used-up clusters) and returns their sum Z. */
    private double clusterProbabilities(int current) {
        double a = current < 0 ? 0 : w.s.transitionWeight();
        int from = current < 0 ? -1 : w.itemCluster[current];
        double self = w.s.selfTransition();
        double toSuccessor = (1 - self) / w.s.successors();
        for (int c = 0; c < clusterProb.length; c++) {
            clusterProb[c] = (1 - a) * w.taste(user, c) + (c == from ? a * self : 0);
        }
        if (from >= 0) {
            for (int next : w.clusterSuccessors[from]) {
                clusterProb[next] += a * toSuccessor;
            }
        }
        double z = 0;
        for (int c = 0; c < clusterProb.length; c++) {
            if (clusterRemaining[c] == 0) {
                clusterProb[c] = 0;
            }
            z += clusterProb[c];
        }
        return z;
    }
}
