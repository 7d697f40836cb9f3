package dev.onerec4j.engine.serve.beam;

/**
 * Incremental decoding of the semantic IDs of a batch of requests, as beam search drives it: every request starts
 * with one beam at level 0; {@link #logProbs} scores the next token of every current beam; {@link #select} keeps
 * the beams that continue (the same number for every request, grouped by request).
 */
public interface StepDecoder {

    int requests();

    int levels();

    /** Tokens at {@code level}. */
    int vocabulary(int level);

    /**
     * The next token's log-probabilities of every current beam, row-major {@code [requests * beams, vocabulary]}
     * in {@code out} (at least that long); {@code previousTokens[i]} is beam {@code i}'s token at the previous
     * level (ignored at level 0).
     */
    void logProbs(int level, int[] previousTokens, float[] out);

    /** Continues with beams {@code parents} (indices of current beams, grouped by request). */
    void select(int[] parents);
}
