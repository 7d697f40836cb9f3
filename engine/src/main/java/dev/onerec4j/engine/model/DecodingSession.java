package dev.onerec4j.engine.model;

import dev.onerec4j.engine.model.decoder.CrossContext;
import dev.onerec4j.engine.model.decoder.SidDecoder;
import dev.onerec4j.engine.model.decoder.SidHeads;
import dev.onerec4j.tensors.DType;
import dev.onerec4j.tensors.Tensor;
import dev.onerec4j.tensors.nn.MultiHeadAttention.KeyValues;
import dev.onerec4j.tensors.ops.Activations;
import dev.onerec4j.tensors.ops.Indexing;

/**
 * Incremental decoding of a batch of requests, the basis of beam search and serving. The context of each request
 * is encoded once ({@link OneRecModel#startDecoding}) into the decoder's cross-attention keys/values, which every
 * beam of the request reads in place (the beams are the query positions of one attention per request; nothing
 * is copied per beam). Each decoder layer keeps a self-attention KV cache per beam.
 *
 * <p>A session starts with one beam per request at level 0. {@link #logProbs} runs one step for every current
 * beam and returns the next token's log-probabilities; {@link #select} then chooses the beams that continue
 * (any number per request, the same for all requests, grouped by request), reordering the caches. Tensors live
 * in the caller's memory scope; a session is used by one thread.
 */
public final class DecodingSession {

    private final SidDecoder decoder;
    private final SidHeads heads;
    private final CrossContext context;
    private final KeyValues[] cache;
    private final int requests;
    private int beams;
    private int level;
    private boolean stepped;

    DecodingSession(SidDecoder decoder, SidHeads heads, CrossContext context) {
        this.decoder = decoder;
        this.heads = heads;
        this.context = context;
        this.cache = new KeyValues[decoder.layers().size()];
        this.requests = context.requests();
        this.beams = 1;
    }

    public int requests() {
        return requests;
    }

    /** Current beams per request. */
    public int beamsPerRequest() {
        return beams;
    }

    /** The SID level the next {@link #logProbs} call predicts. */
    public int level() {
        return level;
    }

    public int levels() {
        return heads.levels();
    }

    /**
     * Log-probabilities {@code [requests * beams, codebookSize(level)]} (F32) of the next token of every current
     * beam; {@code previousTokens[i]} is beam {@code i}'s token at the previous level (ignored at level 0).
     */
    public Tensor logProbs(int[] previousTokens) {
        if (stepped) {
            throw new IllegalStateException("decoding: call select() after logProbs() before the next step");
        }
        if (level >= heads.levels()) {
            throw new IllegalStateException("decoding: all " + heads.levels() + " levels were decoded");
        }
        int n = requests * beams;
        if (level > 0 && (previousTokens == null || previousTokens.length != n)) {
            throw new IllegalArgumentException("decoding: expected " + n + " previous tokens, got "
                    + (previousTokens == null ? "none" : previousTokens.length));
        }
        Tensor x = decoder.stepInput(level, n, previousTokens);
        Tensor h = decoder.step(x, context, cache);
        Tensor logits = heads.logits(level, h.reshape(n, h.dim(2)));
        stepped = true;
        return Activations.logSoftmax(logits.dtype() == DType.F32 ? logits : logits.to(DType.F32));
    }

    /**
     * Continues with the beams {@code parents} (indices of current beams; {@code parents.length} must be a
     * multiple of the request count, and beam {@code j} of the new set must come from request
     * {@code j / (parents.length / requests)}).
     */
    public void select(int[] parents) {
        if (!stepped) {
            throw new IllegalStateException("decoding: select() needs a logProbs() step first");
        }
        if (parents.length == 0 || parents.length % requests != 0) {
            throw new IllegalArgumentException("decoding: " + parents.length + " beams do not divide among "
                    + requests + " requests");
        }
        int width = parents.length / requests;
        for (int j = 0; j < parents.length; j++) {
            int request = j / width;
            int p = parents[j];
            if (p < request * beams || p >= (request + 1) * beams) {
                throw new IllegalArgumentException("decoding: new beam " + j + " of request " + request
                        + " names parent " + p + ", which belongs to another request");
            }
        }
        Tensor index = Tensor.ofInts(parents, parents.length);
        for (int l = 0; l < cache.length; l++) {
            KeyValues c = cache[l];
            cache[l] = new KeyValues(Indexing.indexSelect(c.keys(), 0, index), Indexing.indexSelect(c.values(), 0, index));
        }
        beams = width;
        level++;
        stepped = false;
    }
}
