package dev.onerec4j.engine.serve;

import dev.onerec4j.engine.model.OneRecModel;
import dev.onerec4j.engine.sample.ContextBatch;
import dev.onerec4j.engine.sample.SequenceBlock;
import dev.onerec4j.engine.serve.beam.StepDecoder;
import dev.onerec4j.tensors.Tensor;

import java.util.Arrays;

/**
 * The reference for incremental decoding: at every step it re-encodes each beam's context and runs the whole
 * decoder, teacher-forced, over the beam's full prefix ({@link OneRecModel#logProbs}), reading the next level's
 * log-probabilities. No key/value is cached or shared.
 */
final class UncachedDecoder implements StepDecoder {

    private final OneRecModel model;
    private final ContextBatch context;
    private final int levels;
    private int beams = 1;
    private int[][] prefixes;

    UncachedDecoder(OneRecModel model, ContextBatch context) {
        this.model = model;
        this.context = context;
        this.levels = model.space().levels();
        this.prefixes = new int[context.size][0];
    }

    @Override
    public int requests() {
        return context.size;
    }

    @Override
    public int levels() {
        return levels;
    }

    @Override
    public int vocabulary(int level) {
        return model.space().codebookSizes()[level];
    }

    @Override
    public void logProbs(int level, int[] previousTokens, float[] out) {
        int n = context.size * beams;
        int[] rows = new int[n];
        int[] sids = new int[n * levels];
        for (int i = 0; i < n; i++) {
            if (level > 0) {
                prefixes[i] = Arrays.copyOf(prefixes[i], level);
                prefixes[i][level - 1] = previousTokens[i];
            }
            rows[i] = i / beams;
            // Later positions hold token 0: causal attention keeps them from reaching position `level`.
            System.arraycopy(prefixes[i], 0, sids, i * levels, level);
        }
        Tensor lp = model.logProbs(gather(context, rows), sids)[level];
        float[] values = lp.toFloatArray();
        System.arraycopy(values, 0, out, 0, values.length);
    }

    @Override
    public void select(int[] parents) {
        int[][] next = new int[parents.length][];
        for (int i = 0; i < parents.length; i++) {
            next[i] = prefixes[parents[i]].clone();
        }
        prefixes = next;
        beams = parents.length / context.size;
    }

    /** The rows {@code rows} of {@code batch}, in that order (a request repeated once per beam). */
    static ContextBatch gather(ContextBatch batch, int[] rows) {
        int nf = batch.userCodes.length / batch.size;
        int[] users = new int[rows.length];
        int[] codes = new int[rows.length * nf];
        for (int i = 0; i < rows.length; i++) {
            users[i] = batch.users[rows[i]];
            System.arraycopy(batch.userCodes, rows[i] * nf, codes, i * nf, nf);
        }
        return new ContextBatch(users, codes, gather(batch.shortTerm, rows), gather(batch.positive, rows),
                gather(batch.lifelong, rows));
    }

    private static SequenceBlock gather(SequenceBlock b, int[] rows) {
        if (b == null) {
            return null;
        }
        SequenceBlock out = new SequenceBlock(rows.length, b.length, b.featureCount);
        for (int i = 0; i < rows.length; i++) {
            int from = rows[i] * b.length;
            int to = i * b.length;
            System.arraycopy(b.items, from, out.items, to, b.length);
            System.arraycopy(b.timeBuckets, from, out.timeBuckets, to, b.length);
            System.arraycopy(b.mask, from, out.mask, to, b.length);
            System.arraycopy(b.features, from * b.featureCount, out.features, to * b.featureCount,
                    b.length * b.featureCount);
        }
        return out;
    }
}
