package dev.onerec4j.kernels;

import jdk.incubator.vector.FloatVector;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Working memory of one thread running attention kernels: a packed key block, a packed value block, one block
 * of scores and one of probability gradients, the running output (or query-gradient) accumulators of a query
 * block, the key/value-gradient accumulators of a key block, and a few per-row and per-key vectors.
 *
 * <p>Its size depends only on the head dimensions and the block sizes {@link AttentionKernels#BLOCK_QUERIES} x
 * {@link AttentionKernels#BLOCK_KEYS}, never on the sequence lengths: the kernels stream over key blocks and
 * never hold a score matrix larger than one block. {@link #requiredBytes} is that size.
 *
 * <p>A scratch is used by one thread at a time. {@link #allocate()} gives one that grows on demand (kept per
 * thread by the caller); {@link #over} wraps a fixed segment and refuses a problem that does not fit.
 */
public final class AttentionScratch {

    private static final int LANES = FloatVector.SPECIES_PREFERRED.length();
    /** Regions start on 64-byte boundaries (16 floats / 8 doubles); 16 elements keeps both aligned. */
    private static final int ALIGN_ELEMENTS = 16;

    private final boolean growable;
    private MemorySegment memory;

    private int headDim = -1;
    private int valueDim = -1;
    private boolean f64;
    int paddedHeadDim;
    int paddedValueDim;
    long keysT;
    long valuesT;
    long scores;
    long probGrads;
    long rowAcc;
    long keyGradAcc;
    long valueGradAcc;
    long rowStatA;
    long rowStatB;
    long maskAdd;

    private AttentionScratch(MemorySegment memory, boolean growable) {
        this.memory = memory;
        this.growable = growable;
    }

    /** An empty scratch that allocates (and keeps) as much memory as the largest problem it has served. */
    public static AttentionScratch allocate() {
        return new AttentionScratch(MemorySegment.NULL, true);
    }

    /** A scratch over exactly {@code memory} (64-byte aligned); a problem that needs more is refused. */
    public static AttentionScratch over(MemorySegment memory) {
        return new AttentionScratch(memory, false);
    }

    /** Bytes a scratch needs for heads of {@code headDim} (queries/keys) and {@code valueDim} (values). */
    public static long requiredBytes(int headDim, int valueDim, boolean f64) {
        return layoutElements(headDim, valueDim, null) * (f64 ? 8L : 4L);
    }

    /** The memory currently held (grows only through {@link #prepare}). */
    public MemorySegment memory() {
        return memory;
    }

    /** Lays the regions out for these dimensions, growing the memory first when allowed. */
    public AttentionScratch prepare(int headDim, int valueDim, boolean f64) {
        if (headDim == this.headDim && valueDim == this.valueDim && f64 == this.f64) {
            return this;
        }
        long bytes = requiredBytes(headDim, valueDim, f64);
        if (bytes > memory.byteSize()) {
            if (!growable) {
                throw new IllegalArgumentException("attention scratch: " + memory.byteSize() + " bytes do not fit heads of "
                        + headDim + "/" + valueDim + (f64 ? " (F64)" : " (F32)") + ", which need " + bytes);
            }
            memory = Arena.ofAuto().allocate(bytes, 64);
        }
        layoutElements(headDim, valueDim, this);
        this.headDim = headDim;
        this.valueDim = valueDim;
        this.f64 = f64;
        return this;
    }

    /** Computes the region offsets (stored into {@code into} when not null); returns the total in elements. */
    private static long layoutElements(int headDim, int valueDim, AttentionScratch into) {
        int bq = AttentionKernels.BLOCK_QUERIES;
        int bk = AttentionKernels.BLOCK_KEYS;
        int dPad = roundUp(Math.max(headDim, 1), LANES);
        int dvPad = roundUp(Math.max(valueDim, 1), LANES);
        long at = 0;
        long keysT = at;
        at = next(at, (long) dPad * bk);
        long valuesT = at;
        at = next(at, (long) dvPad * bk);
        long scores = at;
        at = next(at, (long) bq * bk);
        long probGrads = at;
        at = next(at, (long) bq * bk);
        long rowAcc = at;
        at = next(at, (long) bq * Math.max(dPad, dvPad));
        long keyGradAcc = at;
        at = next(at, (long) bk * dPad);
        long valueGradAcc = at;
        at = next(at, (long) bk * dvPad);
        long rowStatA = at;
        at = next(at, bq);
        long rowStatB = at;
        at = next(at, bq);
        long maskAdd = at;
        at = next(at, bk);
        if (into != null) {
            into.paddedHeadDim = dPad;
            into.paddedValueDim = dvPad;
            into.keysT = keysT;
            into.valuesT = valuesT;
            into.scores = scores;
            into.probGrads = probGrads;
            into.rowAcc = rowAcc;
            into.keyGradAcc = keyGradAcc;
            into.valueGradAcc = valueGradAcc;
            into.rowStatA = rowStatA;
            into.rowStatB = rowStatB;
            into.maskAdd = maskAdd;
        }
        return at;
    }

    private static long next(long at, long size) {
        return roundUp(at + size, ALIGN_ELEMENTS);
    }

    static int roundUp(int x, int m) {
        return (x + m - 1) / m * m;
    }

    private static long roundUp(long x, long m) {
        return (x + m - 1) / m * m;
    }
}
