package dev.onerec4j.engine.reward;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AucTest {

    @Test
    void matchesThePairwiseDefinitionOnRandomScoresWithTies() {
        SplittableRandom rng = new SplittableRandom(11);
        for (int trial = 0; trial < 20; trial++) {
            int n = 1 + rng.nextInt(300);
            double[] s = new double[n];
            float[] l = new float[n];
            for (int i = 0; i < n; i++) {
                s[i] = rng.nextInt(20) / 4.0;
                l[i] = rng.nextInt(10) == 0 ? Float.NaN : rng.nextInt(2);
            }
            double wins = 0;
            long pairs = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    if (l[i] == 1f && l[j] == 0f) {
                        pairs++;
                        wins += s[i] > s[j] ? 1 : s[i] == s[j] ? 0.5 : 0;
                    }
                }
            }
            double auc = Auc.of(s, l);
            if (pairs == 0) {
                assertTrue(Double.isNaN(auc));
            } else {
                assertEquals(wins / pairs, auc, 1e-12, "trial " + trial);
            }
        }
    }

    @Test
    void perfectReversedAndConstantScores() {
        float[] l = {0, 0, 1, 1};
        assertEquals(1.0, Auc.of(new double[] {0.1, 0.2, 0.3, 0.4}, l), 0);
        assertEquals(0.0, Auc.of(new double[] {0.4, 0.3, 0.2, 0.1}, l), 0);
        assertEquals(0.5, Auc.of(new double[] {1, 1, 1, 1}, l), 0);
        assertThrows(IllegalArgumentException.class, () -> Auc.of(new double[3], l));
    }
}
