package dev.onerec4j.engine.serve.decode;

import dev.onerec4j.engine.model.OneRecModel;
import dev.onerec4j.engine.model.config.Architecture;
import dev.onerec4j.engine.model.config.ModelConfig;
import dev.onerec4j.kernels.PackedGemmKernels;
import dev.onerec4j.kernels.PackedMatrix;
import dev.onerec4j.tensors.DType;
import dev.onerec4j.tensors.Tensor;

import java.lang.foreign.MemorySegment;
import java.util.Map;

/**
 * A dense OneRec decoder's weights laid out for fast incremental decoding: every projection packed once for the
 * GEMM microkernels (the generic path repacks a weight on every product), norms and embeddings as plain arrays.
 * Read from the model's named tensors, so it follows the model's parameters exactly; built once per loaded model
 * and shared by every decoding thread.
 */
public final class DecoderWeights {

    /** One decoder layer. */
    record Layer(MemorySegment selfNorm, PackedMatrix qkv, PackedMatrix selfOut, MemorySegment crossNorm,
                 PackedMatrix crossQ, PackedMatrix crossOut, MemorySegment ffnNorm, PackedMatrix gateUp,
                 PackedMatrix down) {
    }

    final int dim;
    final int heads;
    final int kvHeads;
    final int headDim;
    final int hidden;
    final double eps;
    /** V2: cross-attention before self-attention in every layer. */
    final boolean crossFirst;
    final Layer[] layers;
    final float[] bos;
    /** {@code [levels, dim]}. */
    final float[] levelEmbeddings;
    /** The SID token table {@code [sum of codebooks, dim]}. */
    final float[] sidTokens;
    final int[] levelOffsets;
    final int[] codebooks;
    final MemorySegment finalNorm;
    final PackedMatrix[] heads_;

    private DecoderWeights(OneRecModel model) {
        ModelConfig c = model.config();
        Map<String, Tensor> t = model.stateTensors();
        this.dim = c.dim;
        this.heads = c.heads;
        this.kvHeads = c.kvHeads;
        this.headDim = c.headDim();
        this.hidden = c.ffnHidden;
        this.eps = c.normEps;
        this.crossFirst = c.architecture == Architecture.V2;
        this.codebooks = model.space().codebookSizes();
        this.levelOffsets = new int[codebooks.length];
        for (int l = 0; l < codebooks.length; l++) {
            levelOffsets[l] = model.space().levelOffset(l);
        }
        this.layers = new Layer[c.decoderLayers];
        for (int l = 0; l < layers.length; l++) {
            String p = "decoder.layers." + l + ".";
            layers[l] = new Layer(gain(t, p + "self_norm.weight"), linear(t, p + "self_attention.qkv.weight"),
                    linear(t, p + "self_attention.out.weight"), gain(t, p + "cross_norm.weight"),
                    linear(t, p + "cross_attention.q.weight"), linear(t, p + "cross_attention.out.weight"),
                    gain(t, p + "ffn_norm.weight"), linear(t, p + "ffn.dense.gate_up.weight"),
                    linear(t, p + "ffn.dense.down.weight"));
        }
        this.bos = vector(t, "decoder.bos");
        this.levelEmbeddings = vector(t, "decoder.level_embeddings.weight");
        Tensor table = require(t, "context.sid_tokens.weight");
        this.sidTokens = table.toFloatArray();
        this.finalNorm = gain(t, "decoder.norm.weight");
        this.heads_ = new PackedMatrix[codebooks.length];
        for (int l = 0; l < codebooks.length; l++) {
            if (c.tiedHeads) {
                Tensor tab = table.isContiguous() ? table : table.contiguous();
                heads_[l] = PackedGemmKernels.packTransposedF32(tab.segment(),
                        tab.offset() + (long) levelOffsets[l] * dim, dim, codebooks[l], dim);
            } else {
                heads_[l] = linear(t, "heads.levels." + l + ".weight");
            }
        }
    }

    /** Whether this fast path covers {@code model}: F32 weights and dense feed-forward networks in the decoder. */
    public static boolean supports(OneRecModel model) {
        return !model.config().moe.enabled()
                && model.stateTensors().get("decoder.bos").dtype() == DType.F32;
    }

    /** Packs the decoder of {@code model} (which {@link #supports} must accept). */
    public static DecoderWeights of(OneRecModel model) {
        if (!supports(model)) {
            throw new IllegalArgumentException("fast decoding covers F32 models with dense decoder layers; this model "
                    + "has MoE or another dtype");
        }
        return new DecoderWeights(model);
    }

    int levels() {
        return codebooks.length;
    }

    int qkvWidth() {
        return (heads + 2 * kvHeads) * headDim;
    }

    int kvWidth() {
        return kvHeads * headDim;
    }

    private static Tensor require(Map<String, Tensor> t, String name) {
        Tensor x = t.get(name);
        if (x == null) {
            throw new IllegalArgumentException("fast decoding: the model has no tensor '" + name + "'");
        }
        return x;
    }

    private static float[] vector(Map<String, Tensor> t, String name) {
        return require(t, name).toFloatArray();
    }

    /** A norm's gain as a native segment for the kernels (see {@link StepScratch} on why not a heap one). */
    private static MemorySegment gain(Map<String, Tensor> t, String name) {
        float[] v = vector(t, name);
        MemorySegment seg = StepScratch.floats(v.length);
        MemorySegment.copy(v, 0, seg, java.lang.foreign.ValueLayout.JAVA_FLOAT, 0, v.length);
        return seg;
    }

    /** A linear layer's {@code [out, in]} weight, packed as the right-hand side of {@code x W^T}. */
    private static PackedMatrix linear(Map<String, Tensor> t, String name) {
        Tensor w = require(t, name);
        Tensor c = w.isContiguous() ? w : w.contiguous();
        return PackedGemmKernels.packTransposedF32(c.segment(), c.offset(), w.dim(1), w.dim(0), w.dim(1));
    }
}
