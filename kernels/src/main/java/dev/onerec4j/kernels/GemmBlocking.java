package dev.onerec4j.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Register and cache tile sizes of the packed GEMM, derived once from the machine's preferred vector species.
 *
 * <p>The microkernel holds an {@code MR x NR} tile of C in {@code MR * 2} vector accumulators: {@code NR} is two
 * vectors wide (16 floats with AVX2, 32 with AVX-512). {@code MR} is 4 rows where the ISA has 16 vector registers
 * and 8 rows where it has 32 (512-bit vectors): 8 accumulators is the least that hides the 4-cycle FMA latency on
 * two FMA pipes, and it is the most that C2 keeps in 16 registers without spilling (it hoists broadcasts, so a
 * 6x2 or 4x3 tile spills an accumulator every iteration and runs at half speed). {@code -Donerec4j.gemm.mr=4|8}
 * overrides the choice (tests use it to exercise both kernels on any machine).
 *
 * <p>{@code KC} keeps one B micro-panel ({@code NR x KC} floats) at 16 KiB so it stays in L1 while the A panels
 * stream past it; {@code MC} keeps one packed A block ({@code MC x KC}) at 128 KiB, well inside L2. The shared
 * packed B block is bounded in {@link GemmDriver}.
 */
final class GemmBlocking {

    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    /** Float lanes per vector. */
    static final int L = F.length();
    /** Columns of the register tile: two vectors. */
    static final int NR = 2 * L;
    /** Rows of the register tile. */
    static final int MR = rows();
    /** Depth of one packed block. */
    static final int KC = Math.max(64, 4096 / NR);
    /** Rows of one packed A block (a multiple of MR). */
    static final int MC = Math.max(MR, (32768 / KC) / MR * MR);

    private GemmBlocking() {
    }

    private static int rows() {
        String forced = System.getProperty("onerec4j.gemm.mr");
        if (forced != null) {
            int r = Integer.parseInt(forced.trim());
            if (r != 4 && r != 8) {
                throw new IllegalArgumentException("onerec4j.gemm.mr must be 4 or 8, got " + forced);
            }
            return r;
        }
        return F.vectorBitSize() >= 512 ? 8 : 4;
    }

    static int roundUp(int x, int multiple) {
        return (x + multiple - 1) / multiple * multiple;
    }
}
