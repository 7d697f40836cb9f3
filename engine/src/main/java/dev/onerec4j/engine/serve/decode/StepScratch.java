package dev.onerec4j.engine.serve.decode;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * One thread's working buffers for a block of decoding rows (normalised input, projections, attention output,
 * scores, feed-forward hidden). Grown on demand and reused, so a decoding step allocates nothing once they have
 * reached their size.
 *
 * <p>The buffers are native memory, like every tensor the kernels see elsewhere: a kernel whose vector loads see
 * both heap-array and native segments at one call site is not intrinsified by C2 and falls back to loading lane
 * by lane (measured: about 40% of the decoding threads' time went there with heap-array buffers).
 */
public final class StepScratch {

    private static final long F = ValueLayout.JAVA_FLOAT.byteSize();

    MemorySegment hSeg = MemorySegment.NULL;
    MemorySegment projSeg = MemorySegment.NULL;
    MemorySegment attnSeg = MemorySegment.NULL;
    MemorySegment scoresSeg = MemorySegment.NULL;
    MemorySegment hiddenSeg = MemorySegment.NULL;
    MemorySegment actSeg = MemorySegment.NULL;

    StepScratch() {
    }

    /** Makes room for {@code rows} rows of a model of the given widths and a context of {@code contextTokens}. */
    void ensure(int rows, int dim, int projWidth, int contextTokens, int ffnHidden) {
        if (hSeg.byteSize() < (long) rows * dim * F) {
            hSeg = floats((long) rows * dim);
            attnSeg = floats((long) rows * dim);
        }
        if (projSeg.byteSize() < (long) rows * projWidth * F) {
            projSeg = floats((long) rows * projWidth);
        }
        if (scoresSeg.byteSize() < (long) rows * Math.max(1, contextTokens) * F) {
            scoresSeg = floats((long) rows * Math.max(1, contextTokens));
        }
        if (hiddenSeg.byteSize() < (long) rows * 2 * ffnHidden * F) {
            hiddenSeg = floats((long) rows * 2 * ffnHidden);
            actSeg = floats((long) rows * ffnHidden);
        }
    }

    /** A zeroed native buffer of {@code n} floats, freed by the garbage collector once unreachable. */
    static MemorySegment floats(long n) {
        return Arena.ofAuto().allocate(Math.max(1, n) * F, 64);
    }
}
