package dev.onerec4j.engine.tokenizer.encoder;

import dev.onerec4j.engine.tokenizer.Progress;
import dev.onerec4j.engine.tokenizer.pairs.ItemPairs;
import dev.onerec4j.tensors.DType;
import dev.onerec4j.tensors.GradMode;
import dev.onerec4j.tensors.MemoryScope;
import dev.onerec4j.tensors.Tensor;
import dev.onerec4j.tensors.nn.Embedding;
import dev.onerec4j.tensors.nn.Init;
import dev.onerec4j.tensors.ops.Activations;
import dev.onerec4j.tensors.ops.Arith;
import dev.onerec4j.tensors.ops.Indexing;
import dev.onerec4j.tensors.ops.Linalg;
import dev.onerec4j.tensors.ops.Losses;
import dev.onerec4j.tensors.ops.Reduce;
import dev.onerec4j.tensors.optim.AdamW;
import dev.onerec4j.tensors.optim.GradClip;
import dev.onerec4j.tensors.optim.WarmupCosine;
import org.eclipse.collections.impl.list.mutable.primitive.IntArrayList;
import org.eclipse.collections.impl.map.mutable.primitive.IntIntHashMap;

import java.util.Set;
import java.util.SplittableRandom;

/**
 * Trains the {@link ItemEncoder} so that collaboratively similar items get close embeddings (OneRec report,
 * section 2.1.1):
 * <ul>
 *   <li><b>item-to-item loss</b>: symmetric InfoNCE over a batch of pairs — for pair {@code i}, the cosine
 *       similarity of its two items over the temperature is the logit of the right answer, the other pairs'
 *       items are the negatives. A negative that is the same item as the positive is masked out;</li>
 *   <li><b>caption loss</b> (the auxiliary that keeps content understanding): each item's embedding predicts its
 *       own content tokens through a token output table, a softmax over the distinct tokens of the batch
 *       (in-batch sampled softmax, so the cost does not grow with the vocabulary).</li>
 * </ul>
 * AdamW with warmup and cosine decay, global-norm clipping at 1.
 */
public final class EncoderTrainer {

    private static final double MASKED_LOGIT = -1e4;
    /**
     * Items of a batch (its first, anchor items) that take part in the caption loss: the auxiliary needs far
     * fewer examples than the contrastive loss, and its cost grows with rows x distinct tokens.
     */
    static final int CAPTION_ROWS = 128;

    private EncoderTrainer() {
    }

    /**
     * The trained encoder (parameters in its own memory scope) and the training curve.
     *
     * @param lossCurve mean total loss of each epoch
     */
    public record Trained(ItemEncoder encoder, MemoryScope parameters, int steps, double[] lossCurve) {
    }

    /** Optimiser steps that {@link #train} will run for {@code pairs} pairs. */
    public static int steps(EncoderSettings s, int pairs) {
        long perEpoch = Math.max(1, pairs / s.batchSize());
        long steps = perEpoch * s.epochs();
        return (int) (s.maxSteps() > 0 ? Math.min(steps, s.maxSteps()) : steps);
    }

    /** Trains a new encoder on {@code pairs}; one progress unit per step. */
    public static Trained train(int vocabSize, int[][] itemTokens, ItemPairs pairs, EncoderSettings s, Progress progress) {
        MemoryScope params = MemoryScope.owned("item-encoder");
        Init init = new Init(params, DType.F32, s.seed());
        ItemEncoder encoder = new ItemEncoder(init, s, vocabSize);
        Embedding caption = new Embedding(init, vocabSize, s.outDim(), 1.0 / Math.sqrt(s.outDim()));
        int total = steps(s, pairs.size());
        if (total == 0 || pairs.size() < 2) {
            return new Trained(encoder, params, 0, new double[0]);
        }
        java.util.Map<String, Tensor> named = new java.util.LinkedHashMap<>(encoder.namedParameters());
        named.put("caption.weight", caption.weight());
        AdamW opt = new AdamW(named, 0.9, 0.98, 1e-8, 0.01, Set.of("tokens.weight", "caption.weight"));
        WarmupCosine schedule = new WarmupCosine(s.learningRate(), Math.max(1, total / 20), total, 0.05);
        SplittableRandom rng = new SplittableRandom(s.seed() ^ 0x5DEECE66DL);
        int batch = Math.min(s.batchSize(), pairs.size());
        int perEpoch = Math.max(1, pairs.size() / batch);
        int epochs = (total + perEpoch - 1) / perEpoch;
        double[] curve = new double[epochs];
        int[] order = new int[pairs.size()];
        int step = 0;
        for (int epoch = 0; epoch < epochs && step < total; epoch++) {
            shuffle(order, rng);
            double sum = 0;
            int count = 0;
            for (int b = 0; b < perEpoch && step < total; b++, step++) {
                try (MemoryScope scope = MemoryScope.open("encoder-step")) {
                    int[] items = new int[2 * batch];
                    for (int i = 0; i < batch; i++) {
                        items[i] = pairs.first(order[b * batch + i]);
                        items[batch + i] = pairs.second(order[b * batch + i]);
                    }
                    TokenBatch tb = TokenBatch.of(itemTokens, items, 0, items.length, encoder.padId());
                    Tensor z = encoder.forward(tb);
                    Tensor loss = contrastive(z, items, batch, s.temperature());
                    if (s.captionWeight() > 0) {
                        int rows = Math.min(CAPTION_ROWS, batch);
                        Tensor captionLoss = captionLoss(z.slice(0, 0, rows), tb, rows, caption);
                        loss = Arith.add(loss, Arith.scale(captionLoss, s.captionWeight()));
                    }
                    opt.zeroGrad();
                    loss.backward();
                    GradClip.clipGlobalNorm(named.values(), 1.0);
                    opt.step(schedule.at(step));
                    double value = loss.item();
                    sum += value;
                    count++;
                    progress.advance(1);
                    if (step % 20 == 0) {
                        progress.detail(String.format(java.util.Locale.ROOT, "loss %.3f", value));
                    }
                }
            }
            curve[epoch] = count == 0 ? Double.NaN : sum / count;
        }
        return new Trained(encoder, params, step, curve);
    }

    /** Symmetric InfoNCE of the first {@code batch} rows of {@code z} against the next {@code batch}. */
    static Tensor contrastive(Tensor z, int[] items, int batch, double temperature) {
        Tensor zn = ItemEncoder.normalize(z);
        Tensor a = zn.slice(0, 0, batch);
        Tensor b = zn.slice(0, batch, 2 * batch);
        Tensor logits = Arith.scale(Linalg.matmul(a, b.transpose(0, 1)), 1.0 / temperature);
        int[] targets = new int[batch];
        int[] maskAB = new int[batch * batch];
        int[] maskBA = new int[batch * batch];
        for (int i = 0; i < batch; i++) {
            targets[i] = i;
            for (int j = 0; j < batch; j++) {
                // Another column holding this row's positive item (or row's anchor item) is not a negative.
                maskAB[i * batch + j] = i != j && items[batch + j] == items[batch + i] ? 1 : 0;
                maskBA[i * batch + j] = i != j && items[j] == items[i] ? 1 : 0;
            }
        }
        Tensor t = Tensor.ofInts(targets, batch);
        Tensor ab = Arith.maskedFill(logits, Tensor.ofInts(maskAB, batch, batch), MASKED_LOGIT);
        Tensor ba = Arith.maskedFill(logits.transpose(0, 1).contiguous(), Tensor.ofInts(maskBA, batch, batch), MASKED_LOGIT);
        return Arith.scale(Arith.add(Losses.crossEntropy(ab, t), Losses.crossEntropy(ba, t)), 0.5);
    }

    /**
     * Mean over the first {@code rows} items of the batch that have content of the mean negative log-probability of
     * each of their tokens; {@code z} holds those rows' embeddings.
     */
    static Tensor captionLoss(Tensor z, TokenBatch tb, int rows, Embedding table) {
        int width = tb.ids().dim(1);
        IntIntHashMap local = new IntIntHashMap();
        IntArrayList distinct = new IntArrayList();
        int withContent = 0;
        for (int r = 0; r < rows; r++) {
            int[] t = tb.tokens()[r];
            withContent += t.length > 0 ? 1 : 0;
            for (int token : t) {
                if (!local.containsKey(token)) {
                    local.put(token, distinct.size());
                    distinct.add(token);
                }
            }
        }
        if (withContent == 0) {
            return Tensor.zeros(DType.F32);
        }
        int[] index = new int[rows * width];
        float[] weight = new float[rows * width];
        for (int r = 0; r < rows; r++) {
            int[] t = tb.tokens()[r];
            for (int j = 0; j < t.length; j++) {
                index[r * width + j] = local.get(t[j]);
                weight[r * width + j] = 1f / (t.length * (float) withContent);
            }
        }
        Tensor candidates = table.forward(Tensor.ofInts(distinct.toArray(), distinct.size()));
        Tensor logp = Activations.logSoftmax(Linalg.matmul(z, candidates.transpose(0, 1)));
        Tensor picked = Indexing.gather(logp, 1, Tensor.ofInts(index, rows, width));
        return Arith.neg(Reduce.sum(Arith.mul(picked, Tensor.of(weight, rows, width))));
    }

    /** Unit-length embeddings of every item, {@code [n, outDim]} row-major, computed in batches without gradients. */
    public static float[] embedAll(ItemEncoder encoder, int[][] itemTokens) {
        int n = itemTokens.length;
        int dim = encoder.outDim();
        float[] out = new float[n * dim];
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        int chunk = 1024;
        try (var g = GradMode.disabled()) {
            for (int from = 0; from < n; from += chunk) {
                int count = Math.min(chunk, n - from);
                try (MemoryScope scope = MemoryScope.open("encoder-embed")) {
                    TokenBatch tb = TokenBatch.of(itemTokens, all, from, count, encoder.padId());
                    float[] z = ItemEncoder.normalize(encoder.forward(tb)).toFloatArray();
                    System.arraycopy(z, 0, out, from * dim, count * dim);
                }
            }
        }
        return out;
    }

    /** The unit-length embedding of one item's tokens. */
    public static float[] embed(ItemEncoder encoder, int[] tokens) {
        try (var g = GradMode.disabled(); MemoryScope scope = MemoryScope.open("encoder-embed")) {
            return ItemEncoder.normalize(encoder.forward(TokenBatch.of(new int[][] {tokens}, encoder.padId()))).toFloatArray();
        }
    }

    private static void shuffle(int[] order, SplittableRandom rng) {
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        for (int i = order.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }
}
