package dev.onerec4j.engine.tokenizer.quant;

import dev.onerec4j.engine.tokenizer.SidPacking;

import java.util.Arrays;

/**
 * Makes every item's semantic ID unique. Items that share an ID are ordered by how well the ID reconstructs
 * them (squared distance of the vector to the sum of its codewords, then item index): the best one keeps the
 * ID; the others, in item order, move to the nearest free ID by the rule of {@link FreeIdSearch} (keep the
 * longest prefix that has room, nearest free codeword below it). The number of levels stays fixed.
 */
public final class CollisionResolver {

    private CollisionResolver() {
    }

    /**
     * @param codes         the unique IDs, row-major {@code [n, levels]}
     * @param collidingItems items whose ID was shared with another item before the rule (the keepers included)
     * @param reassigned    items that moved to another ID ({@code collidingItems} minus one per shared ID)
     * @param keptPrefix    {@code keptPrefix[d]}: moved items that kept a prefix of {@code d} tokens
     * @param occupancy     the taken IDs afterwards (for later additions)
     */
    public record Outcome(int[] codes, int collidingItems, int reassigned, int[] keptPrefix, SidOccupancy occupancy) {

        /** Share of items whose ID was not unique before the rule. */
        public double collisionRate() {
            int n = codes.length / Math.max(1, keptPrefix.length);
            return n == 0 ? 0 : (double) collidingItems / n;
        }
    }

    /**
     * Resolves the IDs {@code codes} ({@code [n, levels]}, not modified) of the {@code n} vectors {@code latent}
     * ({@code [n, codebooks.dim()]}, in the codebooks' space).
     */
    public static Outcome resolve(int[] codes, int n, float[] latent, ResidualCodebooks codebooks) {
        int levels = codebooks.levels();
        int dim = codebooks.dim();
        SidPacking packing = new SidPacking(codebooks.sizes());
        if (packing.leavesBelow(0) < n) {
            throw new IllegalArgumentException("collisions: " + n + " items cannot have unique IDs among "
                    + packing.leavesBelow(0) + " (codebooks " + Arrays.toString(codebooks.sizes()) + ")");
        }
        float[] decoded = codebooks.decodeAll(codes, n, levels);
        long[] keys = new long[n];
        double[] error = new double[n];
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            keys[i] = packing.key(codes, i * levels);
            error[i] = DistanceKernels.squaredDistance(latent, i * dim, decoded, i * dim, dim);
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> {
            int c = Long.compare(keys[a], keys[b]);
            if (c == 0) {
                c = Double.compare(error[a], error[b]);
            }
            return c != 0 ? c : Integer.compare(a, b);
        });
        boolean[] moves = new boolean[n];
        int colliding = 0;
        for (int r = 0; r < n; ) {
            int end = r + 1;
            while (end < n && keys[order[end]] == keys[order[r]]) {
                end++;
            }
            if (end - r > 1) {
                colliding += end - r;
                for (int t = r + 1; t < end; t++) {
                    moves[order[t]] = true;
                }
            }
            r = end;
        }
        int[] out = codes.clone();
        SidOccupancy occupancy = new SidOccupancy(packing);
        for (int i = 0; i < n; i++) {
            if (!moves[i]) {
                occupancy.take(out, i * levels);
            }
        }
        FreeIdSearch search = new FreeIdSearch(codebooks, occupancy);
        int[] keptPrefix = new int[levels];
        int reassigned = 0;
        int[] sid = new int[levels];
        for (int i = 0; i < n; i++) {
            if (!moves[i]) {
                continue;
            }
            System.arraycopy(out, i * levels, sid, 0, levels);
            keptPrefix[search.relocate(latent, i * dim, sid)]++;
            System.arraycopy(sid, 0, out, i * levels, levels);
            occupancy.take(out, i * levels);
            reassigned++;
        }
        return new Outcome(out, colliding, reassigned, keptPrefix, occupancy);
    }

    /**
     * The ID of one new vector given the IDs already taken: its greedy code if free, otherwise the nearest free
     * ID by the same rule. Marks the ID taken and returns it.
     */
    public static int[] place(float[] latent, int off, ResidualCodebooks codebooks, SidOccupancy occupancy) {
        int[] sid = codebooks.encode(latent, off);
        if (occupancy.isTaken(sid, 0)) {
            new FreeIdSearch(codebooks, occupancy).relocate(latent, off, sid);
        }
        occupancy.take(sid, 0);
        return sid;
    }
}
