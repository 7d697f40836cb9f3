package dev.onerec4j.engine.serve.beam;

import dev.onerec4j.engine.model.DecodingSession;
import dev.onerec4j.tensors.Tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * The model's incremental decoding ({@link DecodingSession}: context encoded once, its keys/values shared by all
 * beams of a request, a self-attention KV cache per beam) as a {@link StepDecoder}.
 */
public final class SessionDecoder implements StepDecoder {

    private final DecodingSession session;
    private final int[] vocabularies;

    public SessionDecoder(DecodingSession session, int[] codebookSizes) {
        this.session = session;
        this.vocabularies = codebookSizes.clone();
    }

    @Override
    public int requests() {
        return session.requests();
    }

    @Override
    public int levels() {
        return session.levels();
    }

    @Override
    public int vocabulary(int level) {
        return vocabularies[level];
    }

    @Override
    public void logProbs(int level, int[] previousTokens, float[] out) {
        int n = session.requests() * session.beamsPerRequest();
        Tensor lp = session.logProbs(level == 0 ? null : Arrays.copyOf(previousTokens, n));
        Tensor c = lp.isContiguous() ? lp : lp.contiguous();
        MemorySegment.copy(c.segment(), ValueLayout.JAVA_FLOAT, c.byteOffset(), out, 0, (int) c.numel());
    }

    @Override
    public void select(int[] parents) {
        session.select(parents);
    }
}
