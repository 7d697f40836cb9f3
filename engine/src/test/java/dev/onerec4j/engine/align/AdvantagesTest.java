package dev.onerec4j.engine.align;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class AdvantagesTest {

    @Test
    void eachGroupHasMeanZeroAndUnitStandardDeviation() {
        double[] rewards = {0.1, 0.5, 0.9, 3, 7, 2, 2, 11};
        int[] start = {0, 3, 8};
        double[] a = Advantages.groupNormalized(rewards, start);
        for (int g = 0; g < 2; g++) {
            double mean = 0;
            double sq = 0;
            int n = start[g + 1] - start[g];
            for (int i = start[g]; i < start[g + 1]; i++) {
                mean += a[i];
                sq += a[i] * a[i];
            }
            assertEquals(0, mean / n, 1e-12);
            assertEquals(1, sq / n, 1e-12);
        }
        // Order inside a group is kept: the best reward gets the largest advantage.
        assertEquals(-Math.sqrt(1.5), a[0], 1e-12);
        assertEquals(0, a[1], 1e-12);
    }

    @Test
    void aGroupOfEqualRewardsCarriesNoPreference() {
        assertArrayEquals(new double[] {0, 0, 0, 1, -1}, Advantages.groupNormalized(new double[] {4, 4, 4, 2, 1},
                new int[] {0, 3, 5}), 1e-12);
    }
}
