package dev.onerec4j.engine.serve.decode;

import dev.onerec4j.engine.model.decoder.CrossContext;
import dev.onerec4j.engine.serve.beam.StepDecoder;
import dev.onerec4j.kernels.BinaryOp;
import dev.onerec4j.kernels.ElementwiseKernels;
import dev.onerec4j.kernels.NormKernels;
import dev.onerec4j.kernels.PackedGemmKernels;
import dev.onerec4j.kernels.PackedMatrix;
import dev.onerec4j.kernels.Parallel;
import dev.onerec4j.kernels.SoftmaxKernels;
import dev.onerec4j.tensors.Tensor;
import dev.onerec4j.tensors.nn.MultiHeadAttention.KeyValues;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Incremental decoding of a dense OneRec decoder for serving, the same computation as the model's
 * {@link dev.onerec4j.engine.model.DecodingSession} arranged for speed:
 * <ul>
 *   <li>every beam's step is independent of the other beams given the shared context, so a step is one parallel
 *       range over beam rows: each pool thread runs all layers for its block of rows, with no hand-off between
 *       operations;</li>
 *   <li>weights are packed once per model ({@link DecoderWeights}) and each request's cross-attention keys and
 *       values once per request, so every product packs only its activation block; the query, key and value
 *       projections run as one product, and residual additions are folded into the output products;</li>
 *   <li>the self-attention cache is not copied when beams are reordered: each level's keys and values stay where
 *       they were written and every beam keeps the slot of its ancestor at each earlier level.</li>
 * </ul>
 * Used by one thread at a time (its own pool range aside); {@code scratch} holds one {@link StepScratch} per pool
 * thread, owned by the caller.
 */
public final class FastDecoder implements StepDecoder {

    private static final int GRAIN = 16;
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT;

    private final DecoderWeights w;
    private final int requests;
    private final int contextTokens;
    private final float scale;
    /** Per layer, request, key/value head: the keys as {@code B = K^T [headDim, T]} and the values {@code [T, headDim]}. */
    private final PackedMatrix[][][] keys;
    private final PackedMatrix[][][] values;
    /** Per request, per context token: whether it may be attended to. */
    private final boolean[][] visible;
    private final boolean[] anyVisible;
    private final StepScratch[] scratch;
    /** Per layer and level, every beam slot's self-attention key and value at that level. */
    private final float[][][] selfKeys;
    private final float[][][] selfValues;
    /** {@code ancestors[p][s]}: the slot at level {@code p} of the beam now in slot {@code s}. */
    private int[][] ancestors;
    /** The residual stream of every beam row (native, see {@link StepScratch}). */
    private MemorySegment xSeg = MemorySegment.NULL;
    /** The step's log-probabilities, copied into the caller's array at the end. */
    private MemorySegment logits = MemorySegment.NULL;
    private int beams = 1;
    private int level;

    /**
     * @param context the requests' cross-attention keys/values and mask ({@link
     *                dev.onerec4j.engine.model.OneRecModel#encodeContext})
     * @param scratch one per pool thread ({@link #newScratch})
     */
    public FastDecoder(DecoderWeights weights, CrossContext context, StepScratch[] scratch) {
        this.w = weights;
        this.requests = context.requests();
        this.contextTokens = context.mask().dim(1);
        this.scale = (float) (1.0 / Math.sqrt(Math.max(1, weights.headDim)));
        this.scratch = scratch;
        int layers = weights.layers.length;
        this.keys = new PackedMatrix[layers][][];
        this.values = new PackedMatrix[layers][][];
        Map<KeyValues, PackedMatrix[][][]> shared = new IdentityHashMap<>();
        for (int l = 0; l < layers; l++) {
            KeyValues kv = context.perLayer()[l];
            PackedMatrix[][][] packed = shared.computeIfAbsent(kv, this::pack);
            keys[l] = packed[0];
            values[l] = packed[1];
        }
        int[] mask = context.mask().toIntArray();
        this.visible = new boolean[requests][contextTokens];
        this.anyVisible = new boolean[requests];
        for (int r = 0; r < requests; r++) {
            for (int t = 0; t < contextTokens; t++) {
                visible[r][t] = mask[r * contextTokens + t] != 0;
                anyVisible[r] |= visible[r][t];
            }
        }
        int levels = weights.levels();
        this.selfKeys = new float[layers][levels][];
        this.selfValues = new float[layers][levels][];
        this.ancestors = new int[levels][];
    }

    /** Scratch for every pool thread, to be reused across decoders by one owner. */
    public static StepScratch[] newScratch() {
        StepScratch[] s = new StepScratch[Parallel.threads()];
        for (int i = 0; i < s.length; i++) {
            s[i] = new StepScratch();
        }
        return s;
    }

    private PackedMatrix[][][] pack(KeyValues kv) {
        Tensor k = kv.keys().contiguous();
        Tensor v = kv.values().contiguous();
        int groups = w.kvHeads;
        int hd = w.headDim;
        PackedMatrix[][] kp = new PackedMatrix[requests][groups];
        PackedMatrix[][] vp = new PackedMatrix[requests][groups];
        for (int r = 0; r < requests; r++) {
            for (int g = 0; g < groups; g++) {
                long off = ((long) r * groups + g) * contextTokens * hd;
                kp[r][g] = PackedGemmKernels.packTransposedF32(k.segment(), k.offset() + off, hd, contextTokens, hd);
                vp[r][g] = PackedGemmKernels.packF32(v.segment(), v.offset() + off, hd, contextTokens, hd);
            }
        }
        return new PackedMatrix[][][] {kp, vp};
    }

    @Override
    public int requests() {
        return requests;
    }

    @Override
    public int levels() {
        return w.levels();
    }

    @Override
    public int vocabulary(int level) {
        return w.codebooks[level];
    }

    @Override
    public void logProbs(int step, int[] previousTokens, float[] out) {
        if (step != level) {
            throw new IllegalStateException("fast decoder: asked for level " + step + " at level " + level);
        }
        int n = requests * beams;
        int d = w.dim;
        if (xSeg.byteSize() < (long) n * d * FLOAT.byteSize()) {
            xSeg = StepScratch.floats((long) n * d);
        }
        for (int l = 0; l < w.layers.length; l++) {
            if (selfKeys[l][level] == null || selfKeys[l][level].length < n * w.kvWidth()) {
                selfKeys[l][level] = new float[n * w.kvWidth()];
                selfValues[l][level] = new float[n * w.kvWidth()];
            }
        }
        embedInputs(n, previousTokens);
        int vocab = w.codebooks[level];
        if (logits.byteSize() < (long) n * vocab * FLOAT.byteSize()) {
            logits = StepScratch.floats((long) n * vocab);
        }
        MemorySegment outSeg = logits;
        Parallel.forRange(n, GRAIN, (from, to) -> rows(from, to, outSeg, vocab));
        MemorySegment.copy(logits, FLOAT, 0, out, 0, n * vocab);
    }

    /** The step input of every beam: BOS at level 0, else its previous token's embedding, plus the level's. */
    private void embedInputs(int n, int[] previousTokens) {
        int d = w.dim;
        for (int i = 0; i < n; i++) {
            float[] src = level == 0 ? w.bos : w.sidTokens;
            int so = level == 0 ? 0 : (w.levelOffsets[level - 1] + previousTokens[i]) * d;
            int lo = level * d;
            for (int j = 0; j < d; j++) {
                xSeg.setAtIndex(FLOAT, (long) i * d + j, src[so + j] + w.levelEmbeddings[lo + j]);
            }
        }
    }

    private void rows(int from, int to, MemorySegment out, int vocab) {
        int m = to - from;
        StepScratch s = scratch[Parallel.workerIndex()];
        s.ensure(m, w.dim, Math.max(w.qkvWidth(), w.dim), contextTokens, w.hidden);
        for (int l = 0; l < w.layers.length; l++) {
            DecoderWeights.Layer layer = w.layers[l];
            if (w.crossFirst) {
                cross(l, layer, from, to, s);
                self(l, layer, from, to, s);
            } else {
                self(l, layer, from, to, s);
                cross(l, layer, from, to, s);
            }
            feedForward(layer, from, to, s);
        }
        normalise(w.finalNorm, from, to, s);
        long o = (long) from * vocab;
        PackedGemmKernels.multiply(m, s.hSeg, 0, w.dim, w.heads_[level], 0f, out, o, vocab);
        for (int i = 0; i < m; i++) {
            SoftmaxKernels.softmaxF32(out, o + (long) i * vocab, out, o + (long) i * vocab, vocab, true);
        }
    }

    /** {@code h = RMSNorm(x)} for rows {@code [from, to)}. */
    private void normalise(MemorySegment g, int from, int to, StepScratch s) {
        int d = w.dim;
        for (int i = from; i < to; i++) {
            NormKernels.rmsNormF32(xSeg, (long) i * d, g, 0, w.eps, s.hSeg, (long) (i - from) * d, d);
        }
    }

    /** Causal self-attention over each beam's cached positions (its ancestors' and its own), residual added. */
    private void self(int l, DecoderWeights.Layer layer, int from, int to, StepScratch s) {
        int d = w.dim;
        int hd = w.headDim;
        int kvW = w.kvWidth();
        int qkvW = w.qkvWidth();
        int m = to - from;
        normalise(layer.selfNorm(), from, to, s);
        PackedGemmKernels.multiply(m, s.hSeg, 0, d, layer.qkv(), 0f, s.projSeg, 0, qkvW);
        float[] keysNow = selfKeys[l][level];
        float[] valuesNow = selfValues[l][level];
        for (int i = 0; i < m; i++) {
            MemorySegment.copy(s.projSeg, FLOAT, ((long) i * qkvW + d) * FLOAT.byteSize(), keysNow, (from + i) * kvW,
                    kvW);
            MemorySegment.copy(s.projSeg, FLOAT, ((long) i * qkvW + d + kvW) * FLOAT.byteSize(), valuesNow,
                    (from + i) * kvW, kvW);
        }
        int group = w.heads / w.kvHeads;
        float[] weights = new float[level + 1];
        for (int i = 0; i < m; i++) {
            int slot = from + i;
            for (int h = 0; h < w.heads; h++) {
                int qo = i * qkvW + h * hd;
                int ko = (h / group) * hd;
                float max = Float.NEGATIVE_INFINITY;
                for (int p = 0; p <= level; p++) {
                    float[] kp = selfKeys[l][p];
                    int at = (p == level ? slot : ancestors[p][slot]) * kvW + ko;
                    weights[p] = RowMath.dot(s.projSeg, qo, kp, at, hd) * scale;
                    max = Math.max(max, weights[p]);
                }
                float sum = 0;
                for (int p = 0; p <= level; p++) {
                    weights[p] = (float) Math.exp(weights[p] - max);
                    sum += weights[p];
                }
                int ao = i * d + h * hd;
                s.attnSeg.asSlice(ao * FLOAT.byteSize(), hd * FLOAT.byteSize()).fill((byte) 0);
                for (int p = 0; p <= level; p++) {
                    float[] vp = selfValues[l][p];
                    int at = (p == level ? slot : ancestors[p][slot]) * kvW + ko;
                    RowMath.axpy(weights[p] / sum, vp, at, s.attnSeg, ao, hd);
                }
            }
        }
        PackedGemmKernels.multiply(m, s.attnSeg, 0, d, layer.selfOut(), 1f, xSeg, (long) from * d, d);
    }

    /** Cross-attention of each beam to its request's context keys/values, residual added. */
    private void cross(int l, DecoderWeights.Layer layer, int from, int to, StepScratch s) {
        int d = w.dim;
        int hd = w.headDim;
        int m = to - from;
        int t = contextTokens;
        normalise(layer.crossNorm(), from, to, s);
        PackedGemmKernels.multiply(m, s.hSeg, 0, d, layer.crossQ(), 0f, s.projSeg, 0, d);
        int group = w.heads / w.kvHeads;
        int a = from;
        while (a < to) {
            int r = a / beams;
            int b = Math.min(to, (r + 1) * beams);
            int rows = b - a;
            int first = a - from;
            if (!anyVisible[r]) {
                s.attnSeg.asSlice((long) first * d * FLOAT.byteSize(), (long) rows * d * FLOAT.byteSize())
                        .fill((byte) 0);
            } else {
                for (int h = 0; h < w.heads; h++) {
                    int g = h / group;
                    PackedGemmKernels.multiply(rows, s.projSeg, (long) first * d + h * hd, d, keys[l][r][g], 0f,
                            s.scoresSeg, 0, t);
                    boolean[] vis = visible[r];
                    for (int i = 0; i < rows; i++) {
                        int so = i * t;
                        for (int j = 0; j < t; j++) {
                            s.scoresSeg.setAtIndex(FLOAT, so + j, vis[j] ? s.scoresSeg.getAtIndex(FLOAT, so + j) * scale
                                    : Float.NEGATIVE_INFINITY);
                        }
                        SoftmaxKernels.softmaxF32(s.scoresSeg, so, s.scoresSeg, so, t, false);
                    }
                    PackedGemmKernels.multiply(rows, s.scoresSeg, 0, t, values[l][r][g], 0f, s.attnSeg,
                            (long) first * d + h * hd, d);
                }
            }
            a = b;
        }
        PackedGemmKernels.multiply(m, s.attnSeg, 0, d, layer.crossOut(), 1f, xSeg, (long) from * d, d);
    }

    /** The SwiGLU feed-forward network {@code down(silu(gate) * up)}, residual added. */
    private void feedForward(DecoderWeights.Layer layer, int from, int to, StepScratch s) {
        int d = w.dim;
        int hid = w.hidden;
        int m = to - from;
        normalise(layer.ffnNorm(), from, to, s);
        PackedGemmKernels.multiply(m, s.hSeg, 0, d, layer.gateUp(), 0f, s.hiddenSeg, 0, 2 * hid);
        for (int i = 0; i < m; i++) {
            long o = (long) i * 2 * hid;
            ElementwiseKernels.binaryF32(BinaryOp.SWIGLU, s.hiddenSeg, o, 1, s.hiddenSeg, o + hid, 1, s.actSeg,
                    (long) i * hid, hid);
        }
        PackedGemmKernels.multiply(m, s.actSeg, 0, hid, layer.down(), 1f, xSeg, (long) from * d, d);
    }

    @Override
    public void select(int[] parents) {
        if (parents.length == 0 || parents.length % requests != 0) {
            throw new IllegalArgumentException("fast decoder: " + parents.length + " beams do not divide among "
                    + requests + " requests");
        }
        int n = parents.length;
        int[][] next = new int[w.levels()][];
        for (int p = 0; p < level; p++) {
            next[p] = new int[n];
            for (int j = 0; j < n; j++) {
                next[p][j] = ancestors[p][parents[j]];
            }
        }
        next[level] = parents.clone();
        ancestors = next;
        beams = n / requests;
        level++;
    }
}
