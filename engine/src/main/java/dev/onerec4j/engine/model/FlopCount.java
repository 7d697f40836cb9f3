package dev.onerec4j.engine.model;

import java.util.Locale;

/**
 * Forward FLOPs of one sample (2 per multiply-add), split into context processing (pathway embedding, QFormer,
 * V1 encoder and every cross-attention key/value projection of the context, or V2's context processor) and
 * target generation (the decoder over the SID tokens and the output heads). Training costs about three times
 * the forward pass.
 */
public record FlopCount(long context, long decoder) {

    public long forward() {
        return context + decoder;
    }

    public long training() {
        return 3 * forward();
    }

    /** Share of the forward FLOPs spent on the context. */
    public double contextShare() {
        return forward() == 0 ? 0 : (double) context / forward();
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%.3f MFLOP forward per sample (context %.1f%%, decoder %.1f%%)",
                forward() / 1e6, 100 * contextShare(), 100 * (1 - contextShare()));
    }
}
