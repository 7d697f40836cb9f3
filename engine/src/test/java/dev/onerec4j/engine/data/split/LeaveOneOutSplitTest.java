package dev.onerec4j.engine.data.split;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.onerec4j.engine.data.Dataset;
import dev.onerec4j.engine.data.DatasetBuilder;
import dev.onerec4j.engine.data.Histories;
import dev.onerec4j.engine.data.PositiveRule;

class LeaveOneOutSplitTest {

    /** Users with 5, 3, 2, 1 and 0 interactions; item k of user u is "u:k". */
    private static Dataset lengths(int... lengths) {
        DatasetBuilder b = new DatasetBuilder("lengths");
        for (int u = 0; u < lengths.length; u++) {
            int user = b.user("u" + u);
            for (int k = 0; k < lengths[u]; k++) {
                b.addInteraction(user, b.item(u + ":" + k), 100L * k);
            }
        }
        return b.build(PositiveRule.all(), DatasetBuilder.Ordering.SORT_BY_TIME);
    }

    @Test
    void targetsFollowLeaveOneOut() {
        Dataset d = lengths(5, 3, 2, 1, 0);
        LeaveOneOutSplit split = LeaveOneOutSplit.of(d.histories());
        Examples test = split.test();
        Examples valid = split.validation();
        assertEquals(2, test.size(), "only users with >= 3 interactions are evaluated");
        assertArrayEquals(new int[] {0, 1}, new int[] {test.user(0), test.user(1)});
        assertEquals(4, test.position(0));
        assertEquals(3, valid.position(0));
        assertEquals("0:4", d.items().externalId(test.targetItem(0)));
        assertEquals("0:3", d.items().externalId(valid.targetItem(0)));
        assertEquals("1:2", d.items().externalId(test.targetItem(1)));
        assertEquals("1:1", d.items().externalId(valid.targetItem(1)));
        assertEquals(d.histories().start(0), test.historyStart(0));
        assertEquals(d.histories().start(0) + 4, test.targetRow(0));

        Examples train = split.train();
        // user 0: positions 1, 2 (3 and 4 are validation/test); user 1: none (position 0 has no history);
        // user 2 (2 interactions): position 1; users 3, 4: none.
        assertEquals(3, train.size());
        assertArrayEquals(new int[] {0, 0, 2}, new int[] {train.user(0), train.user(1), train.user(2)});
        assertArrayEquals(new int[] {1, 2, 1}, new int[] {train.position(0), train.position(1), train.position(2)});
        assertArrayEquals(new int[] {3, 1, 2, 1, 0},
                new int[] {split.trainEnd(0), split.trainEnd(1), split.trainEnd(2), split.trainEnd(3), split.trainEnd(4)});

        LeaveOneOutSplit fromZero = LeaveOneOutSplit.of(d.histories(), 0);
        assertEquals(3 + 1 + 2 + 1, fromZero.train().size(), "positions 0.. when minHistory = 0");
        assertThrows(IllegalArgumentException.class, () -> LeaveOneOutSplit.of(d.histories(), -1));
    }

    @Test
    void trainingNeverSeesValidationOrTestInteractions() {
        Dataset d = lengths(7, 3, 4, 2, 9, 3);
        Histories h = d.histories();
        LeaveOneOutSplit split = LeaveOneOutSplit.of(h);
        Set<Integer> heldOut = new HashSet<>();
        for (Examples e : new Examples[] {split.validation(), split.test()}) {
            for (int i = 0; i < e.size(); i++) {
                heldOut.add(e.targetRow(i));
            }
        }
        for (int i = 0; i < split.train().size(); i++) {
            Examples t = split.train();
            for (int r = t.historyStart(i); r <= t.targetRow(i); r++) {
                assertTrue(!heldOut.contains(r), "training example " + i + " reads held-out row " + r);
            }
            assertTrue(t.position(i) < split.trainEnd(t.user(i)));
        }
        // Validation history stops before the validation target; test history includes it.
        for (int i = 0; i < split.test().size(); i++) {
            assertEquals(split.validation().targetRow(i) + 1, split.test().targetRow(i));
        }
        int[] counts = split.trainItemCounts(d.numItems());
        int total = 0;
        for (int c : counts) {
            total += c;
        }
        assertEquals(d.numInteractions() - 2 * split.test().size(), total);
        for (int r : heldOut) {
            assertEquals(0, counts[h.item(r)], "held-out items are unique here, so never counted");
        }
    }
}
