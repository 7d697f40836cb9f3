package dev.onerec4j.kernels;

/**
 * Working memory of one thread running attention kernels, as one heap array carved into regions: packed
 * (transposed) query/key and gradient/value blocks, row copies of query, key, value and output-gradient blocks,
 * one block of scores and one of score gradients, the output (or query-gradient) accumulators of a query
 * block, the key/value-gradient accumulators of a key block, and per-query and per-key vectors.
 *
 * <p>Its size depends only on the head dimensions and the block sizes {@link AttentionKernels#BLOCK_QUERIES} x
 * {@link AttentionKernels#BLOCK_KEYS}, never on the sequence lengths: the kernels stream over key blocks and
 * never hold a score matrix larger than one block. {@link #requiredBytes} is that size.
 *
 * <p>A scratch is used by one thread at a time. {@link #allocate()} gives one that grows on demand (kept per
 * thread by the caller); {@link #withCapacity} gives a fixed one that refuses a problem needing more.
 */
public final class AttentionScratch {

    private static final int LANES = AttentionTiles.L;
    /** Regions start on 64-byte boundaries. */
    private static final int ALIGN_ELEMENTS = 16;
    private static final float[] NO_FLOATS = new float[0];
    private static final double[] NO_DOUBLES = new double[0];

    private final boolean growable;
    private final long capacityBytes;
    float[] f = NO_FLOATS;
    double[] d = NO_DOUBLES;

    private int headDim = -1;
    private int valueDim = -1;
    private boolean f64;
    int paddedHeadDim;
    int paddedValueDim;
    /** Q^T or K^T, {@code [d][block]}. */
    int packA;
    /** dO^T or V^T, {@code [dv][block]}. */
    int packB;
    int queryRows;
    int gradOutRows;
    int keyRows;
    int valueRows;
    int scores;
    int scoreGrads;
    int rowAcc;
    int keyGradAcc;
    int valueGradAcc;
    int statA;
    int statB;
    int statC;
    int maskAdd;

    private AttentionScratch(boolean growable, long capacityBytes) {
        this.growable = growable;
        this.capacityBytes = capacityBytes;
    }

    /** An empty scratch that allocates (and keeps) as much memory as the largest problem it has served. */
    public static AttentionScratch allocate() {
        return new AttentionScratch(true, 0);
    }

    /** A scratch of exactly {@code bytes}, which never grows: a problem that needs more is refused. */
    public static AttentionScratch withCapacity(long bytes) {
        return new AttentionScratch(false, bytes);
    }

    /** Bytes a scratch needs for heads of {@code headDim} (queries/keys) and {@code valueDim} (values). */
    public static long requiredBytes(int headDim, int valueDim, boolean f64) {
        return layout(headDim, valueDim, null) * (f64 ? 8L : 4L);
    }

    /** Bytes currently held. */
    public long heldBytes() {
        return 4L * f.length + 8L * d.length;
    }

    /** Lays the regions out for these dimensions, allocating first when needed (and allowed). */
    public AttentionScratch prepare(int headDim, int valueDim, boolean f64) {
        if (headDim == this.headDim && valueDim == this.valueDim && f64 == this.f64) {
            return this;
        }
        long elements = layout(headDim, valueDim, null);
        long bytes = elements * (f64 ? 8L : 4L);
        if (!growable && bytes > capacityBytes) {
            throw new IllegalArgumentException("attention scratch: " + capacityBytes + " bytes do not fit heads of "
                    + headDim + "/" + valueDim + (f64 ? " (F64)" : " (F32)") + ", which need " + bytes);
        }
        if (elements > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("attention scratch: heads of " + headDim + "/" + valueDim + " are too large");
        }
        if (f64 && d.length < elements) {
            d = new double[growable ? (int) elements : (int) (capacityBytes / 8)];
        } else if (!f64 && f.length < elements) {
            f = new float[growable ? (int) elements : (int) (capacityBytes / 4)];
        }
        layout(headDim, valueDim, this);
        this.headDim = headDim;
        this.valueDim = valueDim;
        this.f64 = f64;
        return this;
    }

    /** Computes the region offsets (stored into {@code into} when not null); returns the total in elements. */
    private static long layout(int headDim, int valueDim, AttentionScratch into) {
        long bq = AttentionKernels.BLOCK_QUERIES;
        long bk = AttentionKernels.BLOCK_KEYS;
        long block = Math.max(bq, bk);
        int dPad = roundUp(Math.max(headDim, 1), LANES);
        int dvPad = roundUp(Math.max(valueDim, 1), LANES);
        long widest = Math.max(dPad, dvPad);
        long[] sizes = {
                (long) dPad * block,   // packA
                (long) dvPad * block,  // packB
                bq * dPad,             // queryRows
                bq * dvPad,            // gradOutRows
                bk * dPad,             // keyRows
                bk * dvPad,            // valueRows
                bq * bk,               // scores
                bq * bk,               // scoreGrads
                bq * widest,           // rowAcc
                bk * dPad,             // keyGradAcc
                bk * dvPad,            // valueGradAcc
                bq, bq, bq,            // statA, statB, statC
                bk};                   // maskAdd
        long[] offsets = new long[sizes.length];
        long at = 0;
        for (int i = 0; i < sizes.length; i++) {
            offsets[i] = at;
            at = (at + sizes[i] + ALIGN_ELEMENTS - 1) / ALIGN_ELEMENTS * ALIGN_ELEMENTS;
        }
        if (into != null) {
            into.paddedHeadDim = dPad;
            into.paddedValueDim = dvPad;
            int i = 0;
            into.packA = (int) offsets[i++];
            into.packB = (int) offsets[i++];
            into.queryRows = (int) offsets[i++];
            into.gradOutRows = (int) offsets[i++];
            into.keyRows = (int) offsets[i++];
            into.valueRows = (int) offsets[i++];
            into.scores = (int) offsets[i++];
            into.scoreGrads = (int) offsets[i++];
            into.rowAcc = (int) offsets[i++];
            into.keyGradAcc = (int) offsets[i++];
            into.valueGradAcc = (int) offsets[i++];
            into.statA = (int) offsets[i++];
            into.statB = (int) offsets[i++];
            into.statC = (int) offsets[i++];
            into.maskAdd = (int) offsets[i];
        }
        return at;
    }

    static int roundUp(int x, int m) {
        return (x + m - 1) / m * m;
    }
}
