package dev.onerec4j.engine.reward;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PScoreSelectorTest {

    @Test
    void keepsTheBestScoredCandidatesAndBreaksTiesByTheGivenOrder() {
        int[] candidates = {40, 41, 42, 43, 44};
        double[] scores = {0.2, 0.9, 0.5, 0.9, 0.1};
        assertArrayEquals(new int[] {41, 43, 42}, PScoreSelector.topByScore(candidates, scores, 3));
        assertArrayEquals(new int[] {41, 43, 42, 40, 44}, PScoreSelector.topByScore(candidates, scores, 10));
        assertArrayEquals(new int[0], PScoreSelector.topByScore(candidates, scores, 0));
        assertThrows(IllegalArgumentException.class, () -> PScoreSelector.topByScore(candidates, new double[4], 2));
    }
}
