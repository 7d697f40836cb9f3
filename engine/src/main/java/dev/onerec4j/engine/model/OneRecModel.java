package dev.onerec4j.engine.model;

import dev.onerec4j.engine.model.config.ModelConfig;
import dev.onerec4j.engine.model.context.ContextEmbedder;
import dev.onerec4j.engine.model.context.EmbeddedContext;
import dev.onerec4j.engine.model.decoder.CrossContext;
import dev.onerec4j.engine.model.decoder.DecoderLayer;
import dev.onerec4j.engine.model.decoder.SidDecoder;
import dev.onerec4j.engine.model.decoder.SidHeads;
import dev.onerec4j.engine.sample.ContextBatch;
import dev.onerec4j.engine.sample.FeatureSpace;
import dev.onerec4j.engine.tokenizer.SemanticIds;
import dev.onerec4j.tensors.GradMode;
import dev.onerec4j.tensors.Tensor;
import dev.onerec4j.tensors.nn.Init;
import dev.onerec4j.tensors.nn.MixtureOfExperts;
import dev.onerec4j.tensors.nn.Module;
import dev.onerec4j.tensors.ops.Activations;
import dev.onerec4j.tensors.ops.Arith;
import dev.onerec4j.tensors.ops.Indexing;
import dev.onerec4j.tensors.ops.Losses;
import dev.onerec4j.tensors.nn.MultiHeadAttention.KeyValues;

import java.util.ArrayList;
import java.util.List;

/**
 * A OneRec generative recommender: the multi-scale context, turned by {@link #crossContext} into what the SID
 * decoder cross-attends to, and per-level output heads. Trained with next-token cross-entropy on the target's SID
 * tokens ({@link #loss}); decodes incrementally ({@link #startDecoding}). V1 and V2 differ only in how the
 * context becomes cross-attention keys/values.
 */
public abstract class OneRecModel extends Module {

    protected final ModelConfig config;
    protected final FeatureSpace space;
    protected final ContextEmbedder embedder;
    protected final SidDecoder decoder;
    protected final SidHeads heads;

    protected OneRecModel(Init init, ModelConfig config, FeatureSpace space, SemanticIds sids, boolean lazy) {
        this.config = config;
        this.space = space;
        this.embedder = child("context", new ContextEmbedder(init, config, space, sids));
        this.decoder = child("decoder", new SidDecoder(init, config, space, embedder.sidTokens(), lazy));
        this.heads = child("heads", new SidHeads(init, config.dim, space, embedder.sidTokens(), config.tiedHeads));
    }

    /** The decoder's cross-attention keys/values for an embedded context. */
    protected abstract CrossContext crossContext(EmbeddedContext context, DropoutStream drop);

    public ModelConfig config() {
        return config;
    }

    public FeatureSpace space() {
        return space;
    }

    public SemanticIds semanticIds() {
        return embedder.semanticIds();
    }

    public ContextEmbedder embedder() {
        return embedder;
    }

    /**
     * Mean next-token cross-entropy over the SID tokens of the targets {@code sids [batch * levels]} (levels
     * averaged), with label smoothing.
     */
    public Tensor loss(ContextBatch batch, int[] sids, double labelSmoothing, DropoutStream drop) {
        int levels = space.levels();
        if (sids.length != batch.size * levels) {
            throw new IllegalArgumentException("loss: " + sids.length + " target tokens for " + batch.size
                    + " examples of " + levels + " levels");
        }
        CrossContext cross = crossContext(embedder.embed(batch, drop), drop);
        Tensor hidden = decoder.forward(sids, cross, drop);
        Tensor total = null;
        int b = batch.size;
        for (int l = 0; l < levels; l++) {
            int[] targets = new int[b];
            for (int i = 0; i < b; i++) {
                targets[i] = sids[i * levels + l];
            }
            Tensor logits = heads.logits(l, hidden.select(1, l));
            Tensor ce = Losses.crossEntropy(logits, Tensor.ofInts(targets, b), -1, labelSmoothing);
            total = total == null ? ce : Arith.add(total, ce);
        }
        return Arith.scale(total, 1.0 / levels);
    }

    /**
     * Teacher-forced log-probabilities of each level's token given the earlier tokens of {@code sids} (one SID per
     * request): per level {@code l}, a {@code [batch, codebookSize(l)]} tensor. The sum over levels of the
     * entries at an item's tokens is the item's log-probability.
     */
    public Tensor[] logProbs(ContextBatch batch, int[] sids) {
        CrossContext cross = crossContext(embedder.embed(batch, DropoutStream.off()), DropoutStream.off());
        Tensor hidden = decoder.forward(sids, cross, DropoutStream.off());
        Tensor[] out = new Tensor[space.levels()];
        for (int l = 0; l < out.length; l++) {
            out[l] = Activations.logSoftmax(heads.logits(l, hidden.select(1, l)));
        }
        return out;
    }

    /**
     * The decoder's cross-attention keys/values for a batch of contexts (no gradients): what
     * {@link #startDecoding} computes once per request, for decoders that run the steps themselves.
     */
    public CrossContext encodeContext(ContextBatch batch) {
        try (var g = GradMode.disabled()) {
            return crossContext(embedder.embed(batch, DropoutStream.off()), DropoutStream.off());
        }
    }

    /**
     * Teacher-forced log-probability of whole items, several candidate items per request: candidate {@code i} has
     * the ID {@code sids[i * levels .. + levels)} and belongs to request {@code owner[i]} of {@code batch}; returns
     * {@code [owner.length]}, the sum over levels of the log-probability of each candidate's token given its
     * earlier tokens. Each request's context is encoded once and its keys/values are gathered for its candidates
     * (so gradients reach the context encoder once per request). Differentiable; preference alignment scores the
     * items generated for a user under the current policy with it.
     */
    public Tensor groupLogProbs(ContextBatch batch, int[] sids, int[] owner, DropoutStream drop) {
        int levels = space.levels();
        int rows = owner.length;
        if (rows == 0 || sids.length != rows * levels) {
            throw new IllegalArgumentException("groupLogProbs: " + sids.length + " tokens for " + rows
                    + " candidates of " + levels + " levels");
        }
        for (int i = 0; i < rows; i++) {
            if (owner[i] < 0 || owner[i] >= batch.size) {
                throw new IllegalArgumentException("groupLogProbs: candidate " + i + " names request " + owner[i]
                        + " of a batch of " + batch.size);
            }
        }
        CrossContext shared = crossContext(embedder.embed(batch, drop), drop);
        Tensor index = Tensor.ofInts(owner.clone(), rows);
        java.util.Map<KeyValues, KeyValues> gathered = new java.util.IdentityHashMap<>();
        KeyValues[] perLayer = new KeyValues[shared.perLayer().length];
        for (int l = 0; l < perLayer.length; l++) {
            perLayer[l] = gathered.computeIfAbsent(shared.perLayer()[l], kv -> new KeyValues(
                    Indexing.indexSelect(kv.keys(), 0, index), Indexing.indexSelect(kv.values(), 0, index)));
        }
        CrossContext cross = new CrossContext(perLayer, Indexing.indexSelect(shared.mask(), 0, index));
        Tensor hidden = decoder.forward(sids, cross, drop);
        Tensor total = null;
        for (int l = 0; l < levels; l++) {
            int[] targets = new int[rows];
            for (int i = 0; i < rows; i++) {
                targets[i] = sids[i * levels + l];
            }
            Tensor nll = Losses.crossEntropyPerPosition(heads.logits(l, hidden.select(1, l)),
                    Tensor.ofInts(targets, rows), -1, 0.0);
            total = total == null ? nll : Arith.add(total, nll);
        }
        return Arith.neg(total);
    }

    /** Encodes the requests' contexts once and returns a session for incremental decoding (no gradients). */
    public DecodingSession startDecoding(ContextBatch batch) {
        try (var g = GradMode.disabled()) {
            CrossContext cross = crossContext(embedder.embed(batch, DropoutStream.off()), DropoutStream.off());
            return new DecodingSession(decoder, heads, cross);
        }
    }

    /** The MoE layers (empty for dense models), for load statistics and balancing updates. */
    public List<MixtureOfExperts> moeLayers() {
        List<MixtureOfExperts> out = new ArrayList<>();
        collectMoe(out);
        for (DecoderLayer layer : decoder.layers()) {
            if (layer.ffn().moe() != null) {
                out.add(layer.ffn().moe());
            }
        }
        return out;
    }

    /** Encoder-side MoE layers (V1 with MoE in the encoder). */
    protected void collectMoe(List<MixtureOfExperts> out) {
    }

    /** Analytic forward FLOPs per sample. */
    public FlopCount flops(int contextTokens) {
        return FlopCounter.count(config, space, contextTokens, embedder.hasStaticToken());
    }
}
