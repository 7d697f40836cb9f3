package dev.onerec4j.engine.tokenizer.pairs;

import dev.onerec4j.engine.data.Dataset;
import dev.onerec4j.engine.data.DatasetBuilder;
import dev.onerec4j.engine.data.PositiveRule;
import dev.onerec4j.engine.data.split.LeaveOneOutSplit;
import dev.onerec4j.engine.tokenizer.Progress;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CollaborativePairsTest {

    private static final PairSettings S = new PairSettings(1.0, 200, 100, 30, 5, 10, 1);

    private static double w(int items) {
        return Math.pow(items + 5, -0.35);
    }

    @Test
    void swingMatchesAHandComputedExample() {
        TrainingPositives p = TrainingPositives.of(new int[][] {{0, 1, 2}, {0, 1}, {1, 2}, {3}}, 4);
        SwingSimilarity swing = SwingSimilarity.compute(p, S, Progress.NONE);
        double sim01 = w(3) * w(2) / (1 + 2); // users 0 and 1 share items {0, 1}
        double sim12 = w(3) * w(2) / (1 + 2); // users 0 and 2 share items {1, 2}
        assertEquals(sim01, swing.similarity(0, 1), 1e-6);
        assertEquals(sim01, swing.similarity(1, 0), 1e-6);
        assertEquals(sim12, swing.similarity(2, 1), 1e-6);
        assertEquals(0, swing.similarity(0, 2), "only one user consumed both: no pair of users");
        assertEquals(0, swing.neighbourCount(3));
        assertEquals(2, swing.neighbourCount(1));
        assertEquals(0, swing.neighbour(1, 0), "ties: lower item first");
        assertEquals(2, swing.neighbour(1, 1));
    }

    @Test
    void minesUserToItemAndItemToItemPairs() {
        TrainingPositives p = TrainingPositives.of(new int[][] {{0, 1, 2}, {0, 1}, {1, 2}, {3}, {3, 0}}, 4);
        SwingSimilarity swing = SwingSimilarity.compute(p, S, Progress.NONE);
        CollaborativePairs.Mined m = CollaborativePairs.mine(p, swing, S);
        ItemPairs pairs = m.pairs();
        List<String> u2i = new ArrayList<>();
        for (int i = 0; i < pairs.userToItem(); i++) {
            u2i.add(pairs.first(i) + "-" + pairs.second(i));
        }
        // Item 2 of user 0 pairs with item 1 (its Swing neighbour), not with item 0 (no similarity).
        assertEquals(List.of("1-0", "2-1", "1-0", "2-1", "0-3"), u2i);
        assertEquals(1, m.sequentialFallbacks(), "user 4's item 0 has no similar item before it: the previous item");
        List<String> i2i = new ArrayList<>();
        for (int i = pairs.userToItem(); i < pairs.size(); i++) {
            i2i.add(pairs.first(i) + "-" + pairs.second(i));
        }
        assertEquals(List.of("0-1", "1-0", "1-2", "2-1"), i2i);
    }

    @Test
    void onlyTrainingInteractionsAreUsed() {
        DatasetBuilder b = new DatasetBuilder("t");
        for (int i = 0; i < 5; i++) {
            b.item("i" + i);
        }
        int u = b.user("u");
        for (int i = 0; i < 5; i++) {
            b.addInteraction(u, i, i);
        }
        Dataset d = b.build(PositiveRule.all(), DatasetBuilder.Ordering.AS_ADDED);
        TrainingPositives p = TrainingPositives.of(LeaveOneOutSplit.of(d.histories()), 5);
        assertEquals(3, p.length(0), "validation and test items are held out");
        assertEquals(2, p.item(0, 2));
    }

    @Test
    void splitKeepsEveryPairOnce() {
        int n = 1000;
        int[] a = new int[n];
        int[] c = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
            c[i] = i + 1;
        }
        ItemPairs[] parts = new ItemPairs(a, c, 600).split(0.1, 3);
        assertEquals(n, parts[0].size() + parts[1].size());
        assertEquals(600, parts[0].userToItem() + parts[1].userToItem());
        assertEquals(true, parts[1].size() > 50 && parts[1].size() < 150);
    }
}
