package dev.onerec4j.engine.reward;

import dev.onerec4j.tensors.DType;
import dev.onerec4j.tensors.Tensor;
import dev.onerec4j.tensors.nn.Embedding;
import dev.onerec4j.tensors.nn.Init;
import dev.onerec4j.tensors.nn.Linear;
import dev.onerec4j.tensors.nn.Module;
import dev.onerec4j.tensors.nn.ModuleList;
import dev.onerec4j.tensors.ops.Activations;
import dev.onerec4j.tensors.ops.Arith;
import dev.onerec4j.tensors.ops.Indexing;
import dev.onerec4j.tensors.ops.Linalg;
import dev.onerec4j.tensors.ops.Losses;
import dev.onerec4j.tensors.ops.Reduce;

import java.util.List;

/**
 * The P-Score reward model (report section 2.4.1), a small multi-tower ranking model in the spirit of SIM: an
 * item is its id embedding plus the mean of its content-token embeddings; a user is their categorical features
 * (and optionally an id), the mean of their recent history, the mean of its positive part, and a target attention
 * over the history (the history items most like the candidate count most, as SIM's search over the history
 * does). From {@code [user static, history mean, positive mean, target attention, item, item x history mean]}
 * each objective's {@link Tower} predicts its label (BCE); the towers' hidden states, with the user and item
 * representations, feed a final MLP whose single output is the P-Score, trained with BCE against the labels of
 * all positive objectives (their mean, which is BCE summed over those labels up to a constant).
 */
public final class PScoreModel extends Module {

    /** Tower logits {@code [B, K]} and the P-Score logit {@code [B]}. */
    public record Output(Tensor towerLogits, Tensor pscoreLogit) {
    }

    private final DType dtype;
    private final int dim;
    private final List<Objective> objectives;
    private final Embedding itemIds;
    private final Embedding tokens;
    private final Embedding userFeatures;
    private final Embedding userIds;
    private final Tensor positiveShift;
    private final Linear query;
    private final ModuleList<Tower> towers;
    private final Linear fuse;
    private final Linear fuseHead;

    public PScoreModel(Init init, RewardConfig config, RewardFeatures features, List<Objective> objectives) {
        this(init, config, features.shape(), objectives);
    }

    public PScoreModel(Init init, RewardConfig config, RewardShape shape, List<Objective> objectives) {
        this.dtype = init.dtype();
        this.dim = config.dim;
        this.objectives = List.copyOf(objectives);
        this.itemIds = child("item_ids", new Embedding(init, shape.items(), dim, 0.1));
        this.tokens = shape.contentTokens() > 0 && shape.vocabulary() > 0
                ? child("content_tokens", new Embedding(init, shape.vocabulary(), dim, 0.1)) : null;
        this.userFeatures = shape.userFeatureRows() > 0
                ? child("user_features", new Embedding(init, shape.userFeatureRows(), dim, 0.1)) : null;
        this.userIds = config.userIdEmbedding ? child("user_ids", new Embedding(init, shape.users(), dim, 0.1)) : null;
        this.positiveShift = parameter("positive_shift", init.normal(0.1, dim));
        this.query = child("query", new Linear(init, dim, dim, false));
        this.towers = child("towers", new ModuleList<>());
        for (int k = 0; k < objectives.size(); k++) {
            towers.add(new Tower(init, 6 * dim, config.hidden));
        }
        this.fuse = child("fuse", new Linear(init, objectives.size() * config.hidden + 4 * dim, config.hidden, true));
        this.fuseHead = child("fuse_head", new Linear(init, config.hidden, 1, true));
    }

    public List<Objective> objectives() {
        return objectives;
    }

    public Output forward(RewardInputs in) {
        int b = in.size();
        int h = in.historyLength();
        Tensor table = itemTable(in);
        Tensor hist = Indexing.indexSelect(table, 0, Tensor.ofInts(in.history(), b * h)).reshape(b, h, dim);
        hist = Arith.add(hist, Arith.mul(floats(in.historyPositive(), b, h, 1), positiveShift));
        Tensor mask = floats(in.historyMask(), b, h, 1);
        float[] positiveMask = new float[b * h];
        for (int i = 0; i < positiveMask.length; i++) {
            positiveMask[i] = in.historyMask()[i] * in.historyPositive()[i];
        }
        Tensor historyMean = maskedMean(hist, in.historyMask(), mask, b, h);
        Tensor positiveMean = maskedMean(hist, positiveMask, floats(positiveMask, b, h, 1), b, h);
        Tensor target = Indexing.indexSelect(table, 0, Tensor.ofInts(in.targets(), b));
        Tensor attention = targetAttention(target, hist, in.historyMask(), mask, b, h);
        Tensor user = userStatic(in, b);
        Tensor x = Indexing.concat(1, user, historyMean, positiveMean, attention, target, Arith.mul(target, historyMean));
        Tensor[] logits = new Tensor[towers.size()];
        Tensor[] fused = new Tensor[towers.size() + 4];
        for (int k = 0; k < towers.size(); k++) {
            Tower.Output t = towers.get(k).forward(x);
            logits[k] = t.logit();
            fused[k] = t.hidden();
        }
        fused[towers.size()] = user;
        fused[towers.size() + 1] = historyMean;
        fused[towers.size() + 2] = positiveMean;
        fused[towers.size() + 3] = target;
        Tensor p = fuseHead.forward(Arith.silu(fuse.forward(Indexing.concat(1, fused)))).reshape(b);
        return new Output(Indexing.concat(1, logits), p);
    }

    /**
     * Mean BCE of the towers over the recorded labels plus the P-Score's BCE against the fused target.
     *
     * @param labels      {@code [B, K]} tower labels (0 where not recorded)
     * @param labelWeight {@code [B, K]} 1 where recorded
     * @param fused       {@code [B]} the P-Score's target (mean of the recorded positive objectives)
     * @param fusedWeight {@code [B]} 1 where any positive objective was recorded
     */
    public Tensor loss(Output out, float[] labels, float[] labelWeight, float[] fused, float[] fusedWeight,
                       double towerWeight) {
        int b = out.pscoreLogit().dim(0);
        int k = objectives.size();
        Tensor towersLoss = weightedBce(out.towerLogits(), floats(labels, b, k), labelWeight, b, k);
        Tensor pscoreLoss = weightedBce(out.pscoreLogit(), floats(fused, b), fusedWeight, b);
        return Arith.add(pscoreLoss, Arith.scale(towersLoss, towerWeight));
    }

    private Tensor weightedBce(Tensor logits, Tensor targets, float[] weights, int... shape) {
        double total = 0;
        for (float w : weights) {
            total += w;
        }
        Tensor perElement = Losses.binaryCrossEntropyWithLogitsPerElement(logits, targets, floats(weights, shape));
        return Arith.scale(Reduce.sum(perElement), total == 0 ? 0 : 1.0 / total);
    }

    /** Representations {@code [U, dim]} of the batch's distinct items. */
    private Tensor itemTable(RewardInputs in) {
        int u = in.uniqueItems().length;
        Tensor rep = itemIds.forward(Tensor.ofInts(in.uniqueItems(), u));
        int t = u == 0 ? 0 : in.itemTokens().length / u;
        if (tokens != null && t > 0) {
            Tensor tok = tokens.forward(Tensor.ofInts(in.itemTokens(), u, t));
            Tensor sum = Reduce.sum(Arith.mul(tok, floats(in.tokenMask(), u, t, 1)), 1, false);
            rep = Arith.add(rep, Arith.mul(sum, inverseCounts(in.tokenMask(), u, t)));
        }
        return rep;
    }

    private Tensor maskedMean(Tensor hist, float[] maskValues, Tensor mask, int b, int h) {
        Tensor sum = Reduce.sum(Arith.mul(hist, mask), 1, false);
        return Arith.mul(sum, inverseCounts(maskValues, b, h));
    }

    /** Softmax attention of the candidate over its user's history; zero when the history is empty. */
    private Tensor targetAttention(Tensor target, Tensor hist, float[] maskValues, Tensor mask, int b, int h) {
        Tensor q = query.forward(target).reshape(b, 1, dim);
        Tensor scores = Arith.scale(Linalg.matmul(q, hist.transpose(1, 2)), 1.0 / Math.sqrt(dim));
        int[] pad = new int[b * h];
        for (int i = 0; i < pad.length; i++) {
            pad[i] = maskValues[i] > 0 ? 0 : 1;
        }
        Tensor weights = Activations.softmax(Arith.maskedFill(scores, Tensor.ofInts(pad, b, 1, h), -1e9));
        weights = Arith.mul(weights, mask.reshape(b, 1, h));
        return Linalg.matmul(weights, hist).reshape(b, dim);
    }

    private Tensor userStatic(RewardInputs in, int b) {
        Tensor user = null;
        if (userFeatures != null) {
            int f = in.userCodes().length / b;
            user = Reduce.sum(userFeatures.forward(Tensor.ofInts(in.userCodes(), b, f)), 1, false);
        }
        if (userIds != null) {
            Tensor ids = userIds.forward(Tensor.ofInts(in.users(), b));
            user = user == null ? ids : Arith.add(user, ids);
        }
        return user == null ? Tensor.zeros(dtype, b, dim) : user;
    }

    /** {@code [rows, 1]}: 1 / max(1, number of set entries) per row of a {@code [rows, width]} mask. */
    private Tensor inverseCounts(float[] mask, int rows, int width) {
        float[] inv = new float[rows];
        for (int r = 0; r < rows; r++) {
            float n = 0;
            for (int j = 0; j < width; j++) {
                n += mask[r * width + j];
            }
            inv[r] = 1f / Math.max(1f, n);
        }
        return floats(inv, rows, 1);
    }

    private Tensor floats(float[] values, int... shape) {
        Tensor t = Tensor.of(values, shape);
        return dtype == DType.F32 ? t : t.to(dtype);
    }
}
