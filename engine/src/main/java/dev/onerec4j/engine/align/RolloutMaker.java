package dev.onerec4j.engine.align;

import dev.onerec4j.engine.data.Histories;
import dev.onerec4j.engine.data.ItemCatalog;
import dev.onerec4j.engine.data.split.Examples;
import dev.onerec4j.engine.model.OneRecModel;
import dev.onerec4j.engine.sample.ContextBatchBuilder;

import org.eclipse.collections.impl.list.mutable.primitive.DoubleArrayList;
import org.eclipse.collections.impl.list.mutable.primitive.IntArrayList;

import java.util.SplittableRandom;

/**
 * Makes the {@link Rollout} of a training step with a given policy: picks {@code rlUsers} training contexts,
 * generates each user's group (constrained, history items skipped), rewards the items, turns rewards into
 * group-normalised advantages (or takes them as given) and, with the format reward on, generates an
 * unconstrained group per user, picks {@code formatSamples} of it at random and keeps the legal ones with
 * advantage 1 (illegal ones are dropped, report section 2.4.2). Everything random is seeded by (seed, step), so a
 * step's rollout depends only on the policy's parameters.
 */
public final class RolloutMaker {

    private final AlignConfig config;
    private final ContextBatchBuilder builder;
    private final Histories histories;
    private final Examples contexts;
    private final RewardSource reward;
    private final GroupSampler sampler;
    private final ItemCatalog items;
    private final int sirClass;

    /**
     * @param contexts training examples whose (user, position) pairs are the RL contexts
     * @param sirClass the SIR class whose share is logged (-1 = none)
     */
    public RolloutMaker(AlignConfig config, ContextBatchBuilder builder, Histories histories, Examples contexts,
                        RewardSource reward, ItemCatalog items, int sirClass) {
        this.config = config;
        this.builder = builder;
        this.histories = histories;
        this.contexts = contexts;
        this.reward = reward;
        this.sampler = new GroupSampler(config.sampling, config.group, config.topK);
        this.items = items;
        this.sirClass = sirClass;
    }

    public Rollout make(long step, OneRecModel policy, long version) {
        SplittableRandom rng = new SplittableRandom(mix(config.seed * 0x632BE59BD9B4E019L + step));
        int r = config.rlUsers;
        int[] users = new int[r];
        int[] positions = new int[r];
        for (int i = 0; i < r; i++) {
            int e = rng.nextInt(contexts.size());
            users[i] = contexts.user(e);
            positions[i] = contexts.position(e);
        }
        Generation g = sampler.generate(policy, builder, histories, users, positions, true, rng.split());
        IntArrayList owner = new IntArrayList();
        IntArrayList item = new IntArrayList();
        DoubleArrayList old = new DoubleArrayList();
        DoubleArrayList rewards = new DoubleArrayList();
        IntArrayList groupStart = new IntArrayList();
        int suppressed = 0;
        for (int q = 0; q < r; q++) {
            groupStart.add(item.size());
            int[] groupItems = legal(g.items()[q]);
            double[] lp = g.logProbs()[q];
            double[] rw = groupItems.length == 0 ? new double[0]
                    : reward.rewards(users[q], positions[q], groupItems, rng.split());
            int k = 0;
            for (int j = 0; j < g.items()[q].length; j++) {
                if (g.items()[q][j] >= 0) {
                    owner.add(q);
                    item.add(g.items()[q][j]);
                    old.add(lp[j]);
                    rewards.add(rw[k++]);
                    suppressed += sirClass >= 0 && items.classLabel(g.items()[q][j]) == sirClass ? 1 : 0;
                }
            }
        }
        groupStart.add(item.size());
        double[] rw = rewards.toArray();
        double[] adv = reward.givesAdvantages() ? rw.clone() : Advantages.groupNormalized(rw, groupStart.toArray());
        double[] weights = new double[rw.length];
        for (int q = 0; q < r; q++) {
            int from = groupStart.get(q);
            int to = groupStart.get(q + 1);
            for (int i = from; i < to; i++) {
                weights[i] = 1.0 / ((double) r * (to - from));
            }
        }
        Rollout.Samples rl = dropZeroAdvantages(new Rollout.Samples(owner.toArray(), item.toArray(), old.toArray(), adv,
                weights));
        Rollout.Samples format = Rollout.Samples.empty();
        double legality = Double.NaN;
        if (config.formatReward) {
            Generation free = sampler.generate(policy, builder, histories, users, positions, false, rng.split());
            legality = free.legality();
            format = formatSamples(free, rng);
        }
        double meanReward = rw.length == 0 ? Double.NaN : java.util.Arrays.stream(rw).average().orElse(Double.NaN);
        return new Rollout(step, version, users, positions, rl, format, meanReward, legality,
                sirClass < 0 || rw.length == 0 ? Double.NaN : (double) suppressed / rw.length);
    }

    /** Random {@code formatSamples} per request; the legal ones get advantage 1, the illegal ones are dropped. */
    private Rollout.Samples formatSamples(Generation free, SplittableRandom rng) {
        int r = free.requests();
        int k = config.formatSamples;
        IntArrayList owner = new IntArrayList();
        IntArrayList item = new IntArrayList();
        DoubleArrayList old = new DoubleArrayList();
        for (int q = 0; q < r; q++) {
            int[] g = free.items()[q];
            int[] pick = choose(g.length, Math.min(k, g.length), rng);
            for (int j : pick) {
                if (g[j] >= 0) {
                    owner.add(q);
                    item.add(g[j]);
                    old.add(free.logProbs()[q][j]);
                }
            }
        }
        int n = item.size();
        double[] adv = new double[n];
        double[] weights = new double[n];
        java.util.Arrays.fill(adv, 1.0);
        java.util.Arrays.fill(weights, 1.0 / ((double) r * k));
        return new Rollout.Samples(owner.toArray(), item.toArray(), old.toArray(), adv, weights);
    }

    /** {@code count} distinct indices of {@code 0..n-1}, in increasing order. */
    static int[] choose(int n, int count, SplittableRandom rng) {
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        for (int i = 0; i < count; i++) {
            int j = i + rng.nextInt(n - i);
            int t = all[i];
            all[i] = all[j];
            all[j] = t;
        }
        int[] out = java.util.Arrays.copyOf(all, count);
        java.util.Arrays.sort(out);
        return out;
    }

    private static int[] legal(int[] group) {
        return java.util.Arrays.stream(group).filter(i -> i >= 0).toArray();
    }

    /** Samples with a zero advantage carry no gradient in any variant: skip them. */
    private static Rollout.Samples dropZeroAdvantages(Rollout.Samples s) {
        IntArrayList keep = new IntArrayList();
        for (int i = 0; i < s.size(); i++) {
            if (s.advantages()[i] != 0) {
                keep.add(i);
            }
        }
        if (keep.size() == s.size()) {
            return s;
        }
        int n = keep.size();
        int[] owner = new int[n];
        int[] item = new int[n];
        double[] old = new double[n];
        double[] adv = new double[n];
        double[] w = new double[n];
        for (int j = 0; j < n; j++) {
            int i = keep.get(j);
            owner[j] = s.owner()[i];
            item[j] = s.items()[i];
            old[j] = s.oldLogProbs()[i];
            adv[j] = s.advantages()[i];
            w[j] = s.weights()[i];
        }
        return new Rollout.Samples(owner, item, old, adv, w);
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
