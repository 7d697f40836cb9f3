package dev.onerec4j.kernels;

/**
 * Per-thread packing buffers of the GEMM kernels, grown on demand and reused across calls so the hot loops never
 * allocate. A thread that starts a product packs the shared B block into its own {@code b*} buffer, which the
 * pool's workers then only read; every thread packs its A blocks into its own {@code a*} buffer.
 */
final class GemmScratch {

    private static final ThreadLocal<GemmScratch> LOCAL = ThreadLocal.withInitial(GemmScratch::new);

    float[] aF32 = new float[0];
    float[] bF32 = new float[0];
    int[] aBf16 = new int[0];
    short[] bBf16 = new short[0];
    /** One register tile, for the edges of C that are narrower or shorter than a full tile. */
    final float[] tile = new float[GemmBlocking.MR * GemmBlocking.NR];
    double[] aF64 = new double[0];
    float[] stageF32 = new float[0];
    /** Gather offsets {@code j * depth} of the rows of a staged panel, for the depth they were made for. */
    final int[] gatherIndex = new int[GemmBlocking.NR];
    private int gatherDepth = -1;
    double[] bF64 = new double[0];

    private GemmScratch() {
    }

    static GemmScratch get() {
        return LOCAL.get();
    }

    float[] aF32(int size) {
        if (aF32.length < size) {
            aF32 = new float[size];
        }
        return aF32;
    }

    float[] bF32(int size) {
        if (bF32.length < size) {
            bF32 = new float[size];
        }
        return bF32;
    }

    int[] aBf16(int size) {
        if (aBf16.length < size) {
            aBf16 = new int[size];
        }
        return aBf16;
    }

    short[] bBf16(int size) {
        if (bBf16.length < size) {
            bBf16 = new short[size];
        }
        return bBf16;
    }

    float[] stageF32(int size) {
        if (stageF32.length < size) {
            stageF32 = new float[size];
        }
        return stageF32;
    }

    int[] gatherIndex(int depth) {
        if (gatherDepth != depth) {
            for (int j = 0; j < gatherIndex.length; j++) {
                gatherIndex[j] = j * depth;
            }
            gatherDepth = depth;
        }
        return gatherIndex;
    }

    double[] aF64(int size) {
        if (aF64.length < size) {
            aF64 = new double[size];
        }
        return aF64;
    }

    double[] bF64(int size) {
        if (bF64.length < size) {
            bF64 = new double[size];
        }
        return bF64;
    }
}
