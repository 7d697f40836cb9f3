package dev.onerec4j.engine.eval;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Recall@K and NDCG@K against hand-computed values, merging, and the reported cutoffs. */
class RankingMetricsTest {

    @Test
    void recallAndNdcgByHand() {
        RankingMetrics m = new RankingMetrics(5, 10);
        m.add(new int[] {7, 3, 9}, 7);                                  // rank 0
        m.add(new int[] {1, 2, 3, 4, 5, 6, 8}, 6);                      // rank 5: only @10
        m.add(new int[] {1, 2}, 9);                                     // miss
        m.add(new int[] {}, 4);                                         // empty list: miss
        assertEquals(4, m.users());
        assertEquals(1 / 4.0, m.recall(5), 1e-12);
        assertEquals(2 / 4.0, m.recall(10), 1e-12);
        assertEquals(1 / 4.0, m.ndcg(5), 1e-12);
        assertEquals((1 + 1 / (Math.log(7) / Math.log(2))) / 4, m.ndcg(10), 1e-12);
        RankingMetrics other = new RankingMetrics(5, 10);
        other.add(new int[] {0, 1}, 1);                                 // rank 1
        m.merge(other);
        assertEquals(5, m.users());
        assertEquals(2 / 5.0, m.recall(5), 1e-12);
        assertEquals((1 + 1 / (Math.log(3) / Math.log(2))) / 5, m.ndcg(5), 1e-12);
    }

    @Test
    void cutoffsFollowTheListLength() {
        assertArrayEquals(new int[] {5, 10}, Evaluator.cutoffs(10));
        assertArrayEquals(new int[] {5, 10, 20}, Evaluator.cutoffs(20));
        assertArrayEquals(new int[] {3}, Evaluator.cutoffs(3));
    }

    @Test
    void sampleIsDeterministicSortedAndDistinct() {
        int[] a = Evaluator.sample(1000, 50, 3);
        int[] b = Evaluator.sample(1000, 50, 3);
        assertArrayEquals(a, b);
        for (int i = 1; i < a.length; i++) {
            assertEquals(true, a[i] > a[i - 1]);
        }
        assertEquals(1000, Evaluator.sample(1000, 0, 3).length);
    }
}
