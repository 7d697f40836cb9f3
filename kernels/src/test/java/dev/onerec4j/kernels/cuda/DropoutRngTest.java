package dev.onerec4j.kernels.cuda;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The counter-based dropout generator: deterministic, seed-dependent, uniform. */
class DropoutRngTest {

    @Test
    void isAPureFunctionOfSeedAndIndex() {
        assertEquals(DropoutRng.uniform(42, 7), DropoutRng.uniform(42, 7));
        assertNotEquals(DropoutRng.uniform(42, 7), DropoutRng.uniform(43, 7));
        assertNotEquals(DropoutRng.uniform(42, 7), DropoutRng.uniform(42, 8));
    }

    @Test
    void isUniformAndDropsAboutP() {
        int n = 200_000;
        double sum = 0;
        int dropped = 0;
        float p = 0.3f;
        for (int i = 0; i < n; i++) {
            float u = DropoutRng.uniform(9, i);
            assertTrue(u >= 0 && u < 1);
            sum += u;
            float m = DropoutRng.maskValue(9, i, p, 1 / (1 - p));
            if (m == 0) {
                dropped++;
            } else {
                assertEquals(1 / (1 - p), m);
            }
        }
        assertEquals(0.5, sum / n, 0.005);
        assertEquals(p, dropped / (double) n, 0.005);
    }
}
