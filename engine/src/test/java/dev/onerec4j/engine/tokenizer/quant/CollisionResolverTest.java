package dev.onerec4j.engine.tokenizer.quant;

import dev.onerec4j.engine.tokenizer.Progress;
import dev.onerec4j.engine.tokenizer.SidPacking;
import org.eclipse.collections.impl.set.mutable.primitive.LongHashSet;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CollisionResolverTest {

    private static void assertUnique(int[] codes, int n, int[] sizes) {
        SidPacking p = new SidPacking(sizes);
        LongHashSet seen = new LongHashSet();
        for (int i = 0; i < n; i++) {
            for (int l = 0; l < sizes.length; l++) {
                int t = codes[i * sizes.length + l];
                assertTrue(t >= 0 && t < sizes[l], "token in range");
            }
            assertTrue(seen.add(p.key(codes, i * sizes.length)), "item " + i + " has a unique ID");
        }
    }

    @Test
    void duplicatesKeepTheirPrefixAndTheBestFitKeepsTheId() {
        // Many near-duplicate vectors: greedy codes collide a lot.
        SplittableRandom r = new SplittableRandom(1);
        int n = 1200, d = 8;
        int[] sizes = {8, 8, 32};
        float[] x = new float[n * d];
        for (int i = 0; i < n; i++) {
            int proto = i % 120;
            for (int j = 0; j < d; j++) {
                x[i * d + j] = (float) (Math.sin(proto * 7.3 + j) * 3 + r.nextGaussian() * 0.01);
            }
        }
        RqKmeans.Result rq = RqKmeans.fit(x, n, d, sizes, KMeansSettings.defaults(), 2, Progress.NONE);
        CollisionResolver.Outcome o = CollisionResolver.resolve(rq.codes(), n, x, rq.codebooks());
        assertTrue(o.collidingItems() > 600, "the test data collides: " + o.collidingItems());
        assertUnique(o.codes(), n, sizes);
        int moved = 0;
        int keptTwo = 0;
        for (int i = 0; i < n; i++) {
            boolean same = true;
            for (int l = 0; l < 3; l++) {
                same &= o.codes()[i * 3 + l] == rq.codes()[i * 3 + l];
            }
            if (!same) {
                moved++;
                if (o.codes()[i * 3] == rq.codes()[i * 3] && o.codes()[i * 3 + 1] == rq.codes()[i * 3 + 1]) {
                    keptTwo++;
                }
            }
        }
        assertEquals(o.reassigned(), moved);
        assertEquals(keptTwo, o.keptPrefix()[2]);
        assertEquals(o.reassigned(), o.keptPrefix()[0] + o.keptPrefix()[1] + o.keptPrefix()[2]);
        assertTrue(keptTwo > 0, "most moves stay under the same two-token prefix");
    }

    @Test
    void theClosestOfACollidingGroupKeepsTheId() {
        float[][] books = {{0f, 10f}, {0f, 1f}};
        ResidualCodebooks cb = new ResidualCodebooks(1, books);
        // All three encode to [0, 0]; item 1 is exactly the codeword sum.
        float[] x = {0.3f, 0f, -0.2f};
        int[] codes = cb.encodeAll(x, 3);
        assertArrayEquals(new int[] {0, 0, 0, 0, 0, 0}, codes);
        CollisionResolver.Outcome o = CollisionResolver.resolve(codes, 3, x, cb);
        assertArrayEquals(new int[] {0, 0}, new int[] {o.codes()[2], o.codes()[3]});
        assertEquals(3, o.collidingItems());
        assertEquals(2, o.reassigned());
        // Item 0 (first in item order) takes the last free code under [0]; item 2 must change level 1.
        assertArrayEquals(new int[] {0, 1}, new int[] {o.codes()[0], o.codes()[1]});
        assertEquals(1, o.codes()[4]);
        assertEquals(1, o.keptPrefix()[1]);
        assertEquals(1, o.keptPrefix()[0]);
    }

    @Test
    void fillsAFullSpaceAndRejectsTooManyItems() {
        ResidualCodebooks cb = new ResidualCodebooks(2, new float[][] {{0, 0, 1, 1}, {0, 0, 0.1f, 0.1f}, {0, 0, 0.01f, 0}});
        float[] x = new float[16];
        int[] codes = cb.encodeAll(x, 8);
        CollisionResolver.Outcome o = CollisionResolver.resolve(codes, 8, x, cb);
        assertUnique(o.codes(), 8, new int[] {2, 2, 2});
        assertThrows(IllegalArgumentException.class,
                () -> CollisionResolver.resolve(cb.encodeAll(new float[18], 9), 9, new float[18], cb));
        assertThrows(IllegalStateException.class, () -> CollisionResolver.place(new float[2], 0, cb, o.occupancy()));
    }

    @Test
    void placesANewVectorOnAFreeId() {
        ResidualCodebooks cb = new ResidualCodebooks(1, new float[][] {{0f, 5f}, {0f, 1f}});
        SidOccupancy occ = new SidOccupancy(new SidPacking(new int[] {2, 2}));
        int[] first = CollisionResolver.place(new float[] {0.2f}, 0, cb, occ);
        assertArrayEquals(new int[] {0, 0}, first);
        int[] second = CollisionResolver.place(new float[] {0.1f}, 0, cb, occ);
        assertArrayEquals(new int[] {0, 1}, second);
        assertTrue(occ.isTaken(second, 0));
        assertFalse(occ.isTaken(new int[] {1, 0}, 0));
    }
}
