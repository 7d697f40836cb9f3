package dev.onerec4j.engine.data.synthetic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.SplittableRandom;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.onerec4j.engine.data.Dataset;
import dev.onerec4j.engine.data.DatasetFormat;
import dev.onerec4j.engine.data.Histories;
import dev.onerec4j.engine.data.ItemCatalog;
import dev.onerec4j.engine.data.Signal;
import dev.onerec4j.engine.data.read.DatasetEquality;
import dev.onerec4j.engine.data.split.Examples;
import dev.onerec4j.engine.data.split.LeaveOneOutSplit;

class SyntheticWorldTest {

    private static SyntheticWorld world;
    private static LeaveOneOutSplit split;

    @BeforeAll
    static void create() {
        world = SyntheticWorld.create(SyntheticSettings.defaults());
        split = LeaveOneOutSplit.of(world.dataset().histories());
    }

    @Test
    void defaultsHaveTheDocumentedShape() {
        Dataset d = world.dataset();
        SyntheticSettings s = SyntheticSettings.defaults();
        assertEquals(s.numUsers(), d.numUsers());
        assertEquals(s.numItems(), d.numItems());
        for (int u = 0; u < d.numUsers(); u++) {
            int n = d.histories().length(u);
            assertTrue(n >= s.minHistory() && n <= s.maxHistory());
        }
        assertEquals(java.util.EnumSet.of(Signal.CLICK, Signal.LIKE, Signal.FOLLOW, Signal.COMMENT, Signal.FORWARD,
                Signal.PLAY_TIME), d.signals());
        assertEquals(s.numClasses(), d.items().numClasses());
        assertEquals("class0", d.items().className(world.overExposedClass()));
        assertEquals(java.util.List.of("region", "age", "gender"), java.util.List.copyOf(d.users().featureNames()));
        dev.onerec4j.engine.data.TestFiles.assertChronological(d.histories());
        for (int i = 0; i < d.numItems(); i++) {
            assertTrue(d.items().duration(i) >= 3 && d.items().duration(i) <= 600);
            assertEquals(world.isOverExposed(i), d.items().classLabel(i) == world.overExposedClass());
        }
    }

    @Test
    void deterministicForASeed() {
        SyntheticWorld again = SyntheticWorld.create(SyntheticSettings.defaults());
        DatasetEquality.assertSameContent(world.dataset(), again.dataset());
        Examples test = split.test();
        assertArrayEquals(world.trueNextItemDistribution(test, 7), again.trueNextItemDistribution(test, 7));
        assertEquals(world.trueValue(3, 5), again.trueValue(3, 5));
        SyntheticWorld other = SyntheticWorld.create(SyntheticSettings.defaults().withSeed(43));
        assertFalse(java.util.Arrays.equals(world.dataset().histories().itemsOf(0),
                other.dataset().histories().itemsOf(0)), "another seed gives another world");
        assertNotEquals(world.trueValue(3, 5), other.trueValue(3, 5));
    }

    @Test
    void trueDistributionIsAProperDistributionGivingTheTargetMass() {
        Examples[] sets = {split.train(), split.validation(), split.test()};
        for (Examples e : sets) {
            for (int i = 0; i < e.size(); i += 97) {
                double[] p = world.trueNextItemDistribution(e, i);
                double sum = 0;
                for (double v : p) {
                    assertTrue(v >= 0);
                    sum += v;
                }
                assertEquals(1.0, sum, 1e-9);
                Histories h = e.histories();
                for (int r = e.historyStart(i); r < e.targetRow(i); r++) {
                    assertEquals(0.0, p[h.item(r)], "history items are never repeated");
                }
                assertTrue(p[e.targetItem(i)] > 0, "the logged target has positive probability");
            }
        }
        double[] first = world.trueNextItemDistribution(0, new int[0]);
        assertEquals(1.0, java.util.Arrays.stream(first).sum(), 1e-9);
        assertThrows(IllegalArgumentException.class, () -> world.trueNextItemDistribution(0, new int[] {3, 3}));
        assertThrows(IllegalArgumentException.class, () -> world.trueNextItemDistribution(-1, new int[0]));
    }

    @Test
    void samplingFollowsTheTrueDistribution() {
        LatentWorld latent = new LatentWorld(SyntheticSettings.defaults());
        int user = 11;
        int[] prefix = world.dataset().histories().itemsOf(user);
        int length = 12;
        UserState state = new UserState(latent, user);
        for (int k = 0; k < length; k++) {
            state.consume(prefix[k]);
        }
        double[] p = world.trueNextItemDistribution(user, prefix, length);
        SplittableRandom rng = new SplittableRandom(5);
        int draws = 200_000;
        double[] freq = new double[p.length];
        for (int t = 0; t < draws; t++) {
            freq[state.sample(prefix[length - 1], rng)] += 1.0 / draws;
        }
        double tv = 0;
        for (int i = 0; i < p.length; i++) {
            tv += Math.abs(freq[i] - p[i]) / 2;
        }
        assertTrue(tv < 0.03, "total variation between sampled and true next-item distribution: " + tv);
    }

    @Test
    void loggedTargetsHitTheTrueTopKAsOftenAsTheCeilingPredicts() {
        int k = 10;
        double expected = 0;
        int hits = 0;
        int n = 0;
        for (Examples e : new Examples[] {split.validation(), split.test()}) {
            for (int i = 0; i < e.size(); i++) {
                double[] p = world.trueNextItemDistribution(e, i);
                int[] top = PlantedCeiling.topK(p, k);
                expected += PlantedCeiling.expectedRecall(p, top);
                for (int item : top) {
                    hits += item == e.targetItem(i) ? 1 : 0;
                }
                n++;
            }
        }
        double mean = expected / n;
        double observed = (double) hits / n;
        double se = Math.sqrt(mean * (1 - mean) / n);
        assertTrue(Math.abs(observed - mean) < 4 * se, "hit rate " + observed + " vs expected " + mean);
    }

    @Test
    void plantedCeilingIsFarAbovePopularity() {
        PlantedCeiling c = PlantedCeiling.compute(world, split.test(), split.trainItemCounts(world.dataset().numItems()),
                10);
        assertEquals(world.dataset().numUsers(), c.examples());
        assertTrue(c.recall() > 0.3, c.toString());
        assertTrue(c.recall() > 3 * c.popularityRecall(), c.toString());
        assertTrue(c.ndcg() > 3 * c.popularityNdcg(), c.toString());
        assertTrue(c.ndcg() < c.recall());
    }

    @Test
    void loggingPolicyOverExposesItsClass() {
        double share = overExposedShare(world.dataset());
        SyntheticWorld fair = SyntheticWorld.create(SyntheticSettings.defaults().withOverExposure(0));
        double fairShare = overExposedShare(fair.dataset());
        double rate = SyntheticSettings.defaults().overExposure();
        assertTrue(share > fairShare + 0.6 * rate, "share " + share + " vs " + fairShare + " without over-exposure");
        // The policy pushes the class regardless of taste, so its logged items engage less than the rest.
        Dataset d = world.dataset();
        double[] value = new double[2];
        int[] count = new int[2];
        Histories h = d.histories();
        for (int u = 0; u < d.numUsers(); u++) {
            for (int r = h.start(u); r < h.end(u); r++) {
                int g = world.isOverExposed(h.item(r)) ? 1 : 0;
                value[g] += world.trueValue(u, h.item(r));
                count[g]++;
            }
        }
        assertTrue(value[1] / count[1] < value[0] / count[0], "over-exposed items engage less");
    }

    private static double overExposedShare(Dataset d) {
        int oe = 0;
        for (int r = 0; r < d.numInteractions(); r++) {
            oe += d.items().classLabel(d.histories().item(r)) == 0 ? 1 : 0;
        }
        return (double) oe / d.numInteractions();
    }

    @Test
    void coConsumedItemsShareClustersAndContentCarriesTheCluster() {
        Dataset d = world.dataset();
        Histories h = d.histories();
        int same = 0;
        int pairs = 0;
        for (int u = 0; u < d.numUsers(); u++) {
            for (int r = h.start(u) + 1; r < h.end(u); r++) {
                same += world.cluster(h.item(r - 1)) == world.cluster(h.item(r)) ? 1 : 0;
                pairs++;
            }
        }
        double consecutive = (double) same / pairs;
        double random = 1.0 / world.numClusters();
        assertTrue(consecutive > 5 * random, "consecutive items share a cluster " + consecutive + " vs " + random);

        ItemCatalog items = d.items();
        SplittableRandom rng = new SplittableRandom(1);
        int sharedOther = 0;
        int otherTrials = 0;
        int trials = 20_000;
        for (int t = 0; t < trials; t++) {
            int a = rng.nextInt(items.size());
            int b = rng.nextInt(items.size());
            if (a == b) {
                continue;
            }
            if (world.cluster(a) != world.cluster(b)) {
                sharedOther += sharesTopic(items, a, b) ? 1 : 0;
                otherTrials++;
            }
        }
        int sameTrials = 0;
        for (int t = 0; t < 2000; t++) {
            int a = rng.nextInt(items.size());
            int[] members = new int[items.size()];
            int m = 0;
            for (int i = 0; i < items.size(); i++) {
                if (i != a && world.cluster(i) == world.cluster(a)) {
                    members[m++] = i;
                }
            }
            sameTrials += sharesTopic(items, a, members[rng.nextInt(m)]) ? 1 : 0;
        }
        double pSame = sameTrials / 2000.0;
        double pOther = (double) sharedOther / otherTrials;
        assertTrue(pSame > 0.9, "same-cluster items share a topic token: " + pSame);
        assertTrue(pSame > 3 * pOther, "same cluster " + pSame + " vs different clusters " + pOther);
    }

    private static boolean sharesTopic(ItemCatalog items, int a, int b) {
        for (int x : items.tokens(a)) {
            if (!items.vocabulary().token(x).startsWith("topic:")) {
                continue;
            }
            for (int y : items.tokens(b)) {
                if (x == y) {
                    return true;
                }
            }
        }
        return false;
    }

    @Test
    void staticFeaturesCarryTaste() {
        Dataset d = world.dataset();
        Histories h = d.histories();
        var region = d.users().feature("region");
        int agree = 0;
        for (int u = 0; u < d.numUsers(); u++) {
            int[] perCluster = new int[world.numClusters()];
            for (int r = h.start(u); r < h.end(u); r++) {
                perCluster[world.cluster(h.item(r))]++;
            }
            int top = 0;
            for (int c = 1; c < perCluster.length; c++) {
                if (perCluster[c] > perCluster[top]) {
                    top = c;
                }
            }
            agree += region.value(region.code(u)).equals("r" + top % LatentWorld.NUM_REGIONS) ? 1 : 0;
        }
        double rate = (double) agree / d.numUsers();
        assertTrue(rate > 3.0 / LatentWorld.NUM_REGIONS, "region predicts the most consumed cluster: " + rate);
    }

    @Test
    void feedbackIsDrawnFromTheTrueEngagement() {
        Dataset d = world.dataset();
        Histories h = d.histories();
        double[] expected = new double[3];
        double[] observed = new double[3];
        for (int u = 0; u < d.numUsers(); u++) {
            for (int r = h.start(u); r < h.end(u); r++) {
                Engagement e = world.engagement(u, h.item(r));
                expected[0] += e.click();
                expected[1] += e.like();
                expected[2] += e.playFraction();
                observed[0] += h.signal(Signal.CLICK, r);
                observed[1] += h.signal(Signal.LIKE, r);
                observed[2] += h.signal(Signal.PLAY_TIME, r) / d.items().duration(h.item(r));
                double v = e.value();
                assertTrue(v >= 0 && v <= 13);
            }
        }
        int n = d.numInteractions();
        for (int s = 0; s < 3; s++) {
            double mean = expected[s] / n;
            double se = Math.sqrt(0.25 / n);
            assertEquals(mean, observed[s] / n, 4 * se, "signal " + s);
        }
        int[] list = {1, 2, 3};
        assertEquals(world.trueValue(4, 1) + world.trueValue(4, 2) + world.trueValue(4, 3),
                world.trueListValue(4, list), 1e-12);
        assertFalse(world.trueValue(4, 1) == world.trueValue(5, 1), "value is personal");
    }

    @Test
    void csvRoundTripKeepsIndicesSoGroundTruthStillApplies(@TempDir Path tmp) {
        SyntheticWorld small = SyntheticWorld.create(SyntheticSettings.defaults().withSize(200, 300, 12, 5, 15));
        Path dir = tmp.resolve("world");
        small.writeCsv(dir, false);
        Dataset back = DatasetFormat.CSV.read(dir);
        DatasetEquality.assertSameContent(small.dataset(), back);
        assertEquals("world", back.name());
    }

    @Test
    void ceilingHelpersMatchBruteForce() {
        double[] p = {0.1, 0.4, 0.05, 0.25, 0.2};
        assertArrayEquals(new int[] {1, 3, 4}, PlantedCeiling.topK(p, 3));
        assertArrayEquals(new int[] {1, 3, 4, 0, 2}, PlantedCeiling.topK(p, 10));
        assertArrayEquals(new int[] {0, 1}, PlantedCeiling.topK(new double[] {1, 1, 1}, 2), "ties: lower index");
        assertEquals(0.85, PlantedCeiling.expectedRecall(p, new int[] {1, 3, 4}), 1e-12);
        assertEquals(0.4 + 0.25 / Math.log(3) * Math.log(2) + 0.2 / 2,
                PlantedCeiling.expectedNdcg(p, new int[] {1, 3, 4}), 1e-12);
    }
}
