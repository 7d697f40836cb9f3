package dev.onerec4j.engine.serve.decode;

import java.lang.foreign.MemorySegment;

/**
 * One thread's working buffers for a block of decoding rows (normalised input, projections, attention output,
 * scores, feed-forward hidden), each with a memory-segment view for the kernels. Grown on demand and reused, so a
 * decoding step allocates nothing once they have reached their size.
 */
public final class StepScratch {

    float[] h = new float[0];
    float[] proj = new float[0];
    float[] attn = new float[0];
    float[] scores = new float[0];
    float[] hidden = new float[0];
    float[] act = new float[0];
    MemorySegment hSeg;
    MemorySegment projSeg;
    MemorySegment attnSeg;
    MemorySegment scoresSeg;
    MemorySegment hiddenSeg;
    MemorySegment actSeg;

    StepScratch() {
        wrap();
    }

    /** Makes room for {@code rows} rows of a model of the given widths and a context of {@code contextTokens}. */
    void ensure(int rows, int dim, int projWidth, int contextTokens, int ffnHidden) {
        boolean grown = false;
        if (h.length < rows * dim) {
            h = new float[rows * dim];
            attn = new float[rows * dim];
            grown = true;
        }
        if (proj.length < rows * projWidth) {
            proj = new float[rows * projWidth];
            grown = true;
        }
        if (scores.length < rows * Math.max(1, contextTokens)) {
            scores = new float[rows * Math.max(1, contextTokens)];
            grown = true;
        }
        if (hidden.length < rows * 2 * ffnHidden) {
            hidden = new float[rows * 2 * ffnHidden];
            act = new float[rows * ffnHidden];
            grown = true;
        }
        if (grown) {
            wrap();
        }
    }

    private void wrap() {
        hSeg = MemorySegment.ofArray(h);
        projSeg = MemorySegment.ofArray(proj);
        attnSeg = MemorySegment.ofArray(attn);
        scoresSeg = MemorySegment.ofArray(scores);
        hiddenSeg = MemorySegment.ofArray(hidden);
        actSeg = MemorySegment.ofArray(act);
    }
}
