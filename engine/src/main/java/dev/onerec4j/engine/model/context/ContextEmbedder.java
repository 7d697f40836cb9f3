package dev.onerec4j.engine.model.context;

import dev.onerec4j.engine.model.DropoutStream;
import dev.onerec4j.engine.model.config.ModelConfig;
import dev.onerec4j.engine.sample.ContextBatch;
import dev.onerec4j.engine.sample.FeatureSpace;
import dev.onerec4j.engine.sample.SequenceBlock;
import dev.onerec4j.engine.tokenizer.SemanticIds;
import dev.onerec4j.tensors.Tensor;
import dev.onerec4j.tensors.nn.Embedding;
import dev.onerec4j.tensors.nn.Init;
import dev.onerec4j.tensors.nn.Linear;
import dev.onerec4j.tensors.nn.Module;
import dev.onerec4j.tensors.ops.Arith;
import dev.onerec4j.tensors.ops.Indexing;
import dev.onerec4j.tensors.ops.Reduce;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns a {@link ContextBatch} into the context token sequence of the multi-scale pathways (report section
 * 2.2.1), concatenated as {@code [static, lifelong queries, positive feedback, short-term]} with learnable
 * positional embeddings.
 *
 * <p>An input item is the sum of its SID token embeddings over the levels (one table for all levels, level
 * {@code l}'s tokens at an offset), plus an item-id embedding when enabled; an interaction adds a projection of
 * its feature vector (labels, play time), its time-gap embedding and its pathway's type embedding. The SID token
 * table is shared with the decoder's inputs and, when heads are tied, its outputs.
 */
public final class ContextEmbedder extends Module {

    static final int STATIC = 0;
    static final int LIFELONG = 1;
    static final int POSITIVE = 2;
    static final int SHORT_TERM = 3;

    private final FeatureSpace space;
    private final ModelConfig config;
    private final Embedding sidTokens;
    private final Embedding itemIds;
    private final Linear featureProjection;
    private final Embedding timeGaps;
    private final Embedding pathwayTypes;
    private final Embedding userFeatures;
    private final Embedding userIds;
    private final QFormer qformer;
    private final Embedding positions;
    private final boolean staticToken;
    private final int[] levelOffsets;
    private final SemanticIds sids;

    public ContextEmbedder(Init init, ModelConfig config, FeatureSpace space, SemanticIds sids) {
        if (sids.levels() != space.levels()) {
            throw new IllegalArgumentException("semantic IDs of " + sids.levels() + " levels for a feature space of "
                    + space.levels());
        }
        this.sids = sids;
        this.space = space;
        this.config = config;
        int d = config.dim;
        double std = 0.02;
        this.sidTokens = child("sid_tokens", new Embedding(init, space.sidVocabulary(), d, std));
        this.itemIds = config.itemIdEmbedding ? child("item_ids", new Embedding(init, space.items() + 1, d, std)) : null;
        this.featureProjection = child("features", new Linear(init, space.interactionFeatures().size(), d, true));
        this.timeGaps = child("time_gaps", new Embedding(init, config.timeBuckets, d, std));
        this.pathwayTypes = child("pathway_types", new Embedding(init, 4, d, std));
        boolean hasFeatures = space.userFeatureRows() > 0;
        this.staticToken = config.pathways.userStatic && (hasFeatures || config.userIdEmbedding);
        this.userFeatures = staticToken && hasFeatures
                ? child("user_features", new Embedding(init, space.userFeatureRows(), d, std)) : null;
        this.userIds = staticToken && config.userIdEmbedding
                ? child("user_ids", new Embedding(init, space.users(), d, std)) : null;
        this.qformer = config.pathways.lifelong.enabled()
                ? child("qformer", new QFormer(init, config, config.pathways.lifelong)) : null;
        this.positions = child("positions", new Embedding(init, Math.max(1, maxTokens()), d, std));
        this.levelOffsets = new int[space.levels()];
        for (int l = 0; l < levelOffsets.length; l++) {
            levelOffsets[l] = space.levelOffset(l);
        }
    }

    /** The most context tokens a request can have. */
    public int maxTokens() {
        var p = config.pathways;
        return (staticToken ? 1 : 0) + p.shortTerm + p.positive + (p.lifelong.enabled() ? p.lifelong.queries : 0);
    }

    /** Whether the static pathway contributes a token (it needs user features or a user-id embedding). */
    public boolean hasStaticToken() {
        return staticToken;
    }

    public Embedding sidTokens() {
        return sidTokens;
    }

    public FeatureSpace space() {
        return space;
    }

    public EmbeddedContext embed(ContextBatch batch, DropoutStream drop) {
        int b = batch.size;
        List<Tensor> parts = new ArrayList<>();
        List<int[]> masks = new ArrayList<>();
        List<Integer> lengths = new ArrayList<>();
        if (staticToken) {
            parts.add(staticTokens(batch).reshape(b, 1, config.dim));
            int[] ones = new int[b];
            java.util.Arrays.fill(ones, 1);
            masks.add(ones);
            lengths.add(1);
        }
        if (qformer != null) {
            SequenceBlock life = batch.lifelong;
            Tensor reps = embedBlock(life, LIFELONG);
            Tensor repMask = Tensor.ofInts(life.mask, b, life.length);
            parts.add(qformer.forward(reps, repMask, drop));
            int q = qformer.queries();
            int[] ones = new int[b * q];
            java.util.Arrays.fill(ones, 1);
            masks.add(ones);
            lengths.add(q);
        }
        if (batch.positive != null) {
            parts.add(embedBlock(batch.positive, POSITIVE));
            masks.add(batch.positive.mask);
            lengths.add(batch.positive.length);
        }
        if (batch.shortTerm != null) {
            parts.add(embedBlock(batch.shortTerm, SHORT_TERM));
            masks.add(batch.shortTerm.mask);
            lengths.add(batch.shortTerm.length);
        }
        Tensor tokens = parts.size() == 1 ? parts.get(0) : Indexing.concat(1, parts.toArray(new Tensor[0]));
        int t = tokens.dim(1);
        int[] pos = new int[t];
        for (int i = 0; i < t; i++) {
            pos[i] = i;
        }
        tokens = Arith.add(tokens, positions.forward(Tensor.ofInts(pos, t)));
        return new EmbeddedContext(drop.apply(tokens), Tensor.ofInts(concatMasks(b, masks, lengths, t), b, t));
    }

    private static int[] concatMasks(int b, List<int[]> masks, List<Integer> lengths, int t) {
        int[] out = new int[b * t];
        int col = 0;
        for (int k = 0; k < masks.size(); k++) {
            int len = lengths.get(k);
            int[] m = masks.get(k);
            for (int i = 0; i < b; i++) {
                System.arraycopy(m, i * len, out, i * t + col, len);
            }
            col += len;
        }
        return out;
    }

    /** {@code [batch, dim]}: the summed user feature (and user id) embeddings plus the static type embedding. */
    private Tensor staticTokens(ContextBatch batch) {
        int b = batch.size;
        Tensor sum = null;
        if (userFeatures != null) {
            int nf = batch.userCodes.length / b;
            sum = Reduce.sum(userFeatures.forward(Tensor.ofInts(batch.userCodes, b, nf)), 1, false);
        }
        if (userIds != null) {
            Tensor ids = userIds.forward(Tensor.ofInts(batch.users, b));
            sum = sum == null ? ids : Arith.add(sum, ids);
        }
        return Arith.add(sum, typeEmbedding(STATIC));
    }

    private Tensor typeEmbedding(int type) {
        return pathwayTypes.forward(Tensor.ofInts(new int[] {type}, 1)).reshape(config.dim);
    }

    /** {@code [batch, length, dim]} embeddings of a sequence pathway's interactions. */
    Tensor embedBlock(SequenceBlock block, int type) {
        int n = block.batch * block.length;
        Tensor x = itemEmbeddings(block.items);
        x = Arith.add(x, featureProjection.forward(features(block.features, n, block.featureCount)));
        x = Arith.add(x, timeGaps.forward(Tensor.ofInts(block.timeBuckets, n)));
        x = Arith.add(x, typeEmbedding(type));
        return x.reshape(block.batch, block.length, config.dim);
    }

    /** The feature matrix in the parameters' dtype (F32, or F64 in gradient checks). */
    private Tensor features(float[] values, int rows, int cols) {
        Tensor f = Tensor.of(values, rows, cols);
        return featureProjection.weight().dtype() == f.dtype() ? f : f.to(featureProjection.weight().dtype());
    }

    /**
     * {@code [n, dim]} input embeddings of items ({@code -1} = padding, embedded as a fixed pad row that callers
     * mask). Items added after training (cold start) have SID embeddings and share the pad row's item-id
     * embedding.
     */
    public Tensor itemEmbeddings(int[] items) {
        int n = items.length;
        int levels = levelOffsets.length;
        int[] tokens = new int[n * levels];
        int[] ids = itemIds == null ? null : new int[n];
        for (int i = 0; i < n; i++) {
            int item = items[i];
            for (int l = 0; l < levels; l++) {
                tokens[i * levels + l] = levelOffsets[l] + (item < 0 ? 0 : sids.token(item, l));
            }
            if (ids != null) {
                ids[i] = item < 0 || item >= space.items() ? space.items() : item;
            }
        }
        Tensor x = Reduce.sum(sidTokens.forward(Tensor.ofInts(tokens, n, levels)), 1, false);
        if (ids != null) {
            x = Arith.add(x, itemIds.forward(Tensor.ofInts(ids, n)));
        }
        return x;
    }

    public SemanticIds semanticIds() {
        return sids;
    }
}
