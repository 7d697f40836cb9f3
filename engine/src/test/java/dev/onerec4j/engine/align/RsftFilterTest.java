package dev.onerec4j.engine.align;

import dev.onerec4j.engine.data.Histories;
import dev.onerec4j.engine.data.Signal;
import dev.onerec4j.engine.data.split.Examples;
import dev.onerec4j.engine.data.split.LeaveOneOutSplit;
import dev.onerec4j.engine.data.synthetic.SyntheticSettings;
import dev.onerec4j.engine.data.synthetic.SyntheticWorld;

import org.eclipse.collections.impl.list.mutable.primitive.IntArrayList;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RsftFilterTest {

    @Test
    void keepsTheExamplesOfTheTopHalfOfSessionsByPlayTime() {
        SyntheticWorld world = SyntheticWorld.create(SyntheticSettings.defaults().withSize(200, 100, 5, 10, 20)
                .withSeed(4));
        Histories h = world.dataset().histories();
        Examples train = LeaveOneOutSplit.of(h).train();
        long gap = 1800;
        int[] kept = RsftFilter.keep(train, gap, 0.5);
        int[] sessionOf = new int[h.numInteractions()];
        double[] scores = RsftFilter.sessionScores(h, gap, sessionOf, new IntArrayList());
        assertTrue(scores.length > h.numUsers(), "histories split into several sessions: " + scores.length);
        double threshold = RsftFilter.threshold(scores, 0.5);
        boolean[] keep = new boolean[train.size()];
        for (int i : kept) {
            keep[i] = true;
        }
        double keptPlay = 0;
        double droppedPlay = 0;
        int droppedCount = 0;
        for (int i = 0; i < train.size(); i++) {
            double s = scores[sessionOf[train.targetRow(i)]];
            assertEquals(s >= threshold, keep[i], "example " + i);
            keptPlay += keep[i] ? s : 0;
            droppedPlay += keep[i] ? 0 : s;
            droppedCount += keep[i] ? 0 : 1;
        }
        assertTrue(droppedCount > 0 && kept.length > 0);
        assertTrue(keptPlay / kept.length > droppedPlay / droppedCount);
        // Half of the sessions (not of the examples) fall below the threshold.
        long below = Arrays.stream(scores).filter(s -> s < threshold).count();
        assertEquals(0.5, (double) below / scores.length, 1.0 / scores.length + 1e-9);
        assertTrue(h.has(Signal.PLAY_TIME));
    }

    @Test
    void droppingNothingKeepsEverything() {
        SyntheticWorld world = SyntheticWorld.create(SyntheticSettings.defaults().withSize(40, 60, 4, 6, 9)
                .withSeed(1));
        Examples train = LeaveOneOutSplit.of(world.dataset().histories()).train();
        assertEquals(train.size(), RsftFilter.keep(train, 1800, 0).length);
    }
}
