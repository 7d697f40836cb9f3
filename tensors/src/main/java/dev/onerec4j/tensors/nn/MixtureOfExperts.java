package dev.onerec4j.tensors.nn;

import dev.onerec4j.tensors.DType;
import dev.onerec4j.tensors.GradMode;
import dev.onerec4j.tensors.Shapes;
import dev.onerec4j.tensors.Tensor;
import dev.onerec4j.tensors.ops.Activations;
import dev.onerec4j.tensors.ops.Arith;
import dev.onerec4j.tensors.ops.Indexing;
import dev.onerec4j.tensors.ops.Reduce;

import java.util.Arrays;

/**
 * Mixture-of-Experts feed-forward layer: SwiGLU experts, top-k routing, and DeepSeek-style loss-free load
 * balancing.
 *
 * <p>Routing: affinities {@code s = softmax(router(x))}; each token picks the {@code k} experts with the largest
 * {@code s + bias}; its output is the sum of the picked experts' outputs weighted by their affinities
 * renormalised over the picked set. The per-expert {@code bias} steers selection only — it never enters the
 * output or the gradient — and after each training step it moves by {@code rate} towards balance:
 * {@code bias_e += rate * sign(meanLoad - load_e)}. No auxiliary loss term is needed.
 *
 * <p>Dispatch groups each expert's tokens into one contiguous block (a gather by a permutation), runs each expert
 * once on its block, and combines the results back in token order (a gather by the inverse permutation and a sum
 * over the k slots) — all differentiable.
 */
public final class MixtureOfExperts extends Module {

    private final Linear router;
    private final ModuleList<SwiGluFfn> experts;
    private final Tensor bias;
    private final int topK;
    private final int expertCount;
    private final double rate;
    private final boolean balance;
    private final long[] load;
    private long tokensSeen;
    private Tensor pinnedRouting;

    /**
     * @param rate bias update speed of loss-free balancing (0 disables balancing: plain top-k routing)
     */
    public MixtureOfExperts(Init init, int dim, int hidden, int expertCount, int topK, double rate) {
        if (expertCount <= 0 || topK <= 0 || topK > expertCount) {
            throw new IllegalArgumentException("MoE: need 0 < topK <= experts, got experts=" + expertCount + ", topK=" + topK);
        }
        this.expertCount = expertCount;
        this.topK = topK;
        this.rate = rate;
        this.balance = rate > 0;
        this.router = child("router", new Linear(init, dim, expertCount, false));
        this.experts = child("experts", new ModuleList<>());
        for (int e = 0; e < expertCount; e++) {
            experts.add(new SwiGluFfn(init, dim, hidden));
        }
        this.bias = buffer("balance_bias", init.zeros(expertCount));
        this.load = new long[expertCount];
    }

    /** {@code x [..., dim] -> [..., dim]}. */
    public Tensor forward(Tensor x) {
        int[] shape = x.shape();
        int dim = shape[shape.length - 1];
        Tensor tokens = x.reshape(-1, dim);
        int n = tokens.dim(0);
        Tensor affinity = Activations.softmax(router.forward(tokens));
        Tensor selected = pinnedRouting != null ? checkedPinned(n) : select(affinity);
        int[] picks = selected.toIntArray();
        countLoad(picks);

        // Gate weights: the picked affinities, renormalised over the picked set (differentiable through s).
        Tensor picked = Indexing.gather(affinity, 1, selected);
        Tensor gates = Arith.div(picked, Reduce.sum(picked, 1, true));

        // Group slots by expert: perm lists slot ids (token * k + j) expert by expert.
        int slots = n * topK;
        int[] perm = new int[slots];
        int[] counts = new int[expertCount];
        for (int e : picks) {
            counts[e]++;
        }
        int[] start = new int[expertCount + 1];
        for (int e = 0; e < expertCount; e++) {
            start[e + 1] = start[e] + counts[e];
        }
        int[] fill = Arrays.copyOf(start, expertCount);
        int[] inverse = new int[slots];
        for (int s = 0; s < slots; s++) {
            int e = picks[s];
            inverse[s] = fill[e];
            perm[fill[e]++] = s;
        }
        int[] tokenOfSlot = new int[slots];
        for (int i = 0; i < slots; i++) {
            tokenOfSlot[i] = perm[i] / topK;
        }
        Tensor dispatched = Indexing.indexSelect(tokens, 0, Tensor.ofInts(tokenOfSlot, slots));
        Tensor[] outputs = new Tensor[expertCount];
        int used = 0;
        for (int e = 0; e < expertCount; e++) {
            if (counts[e] > 0) {
                outputs[used++] = experts.get(e).forward(dispatched.slice(0, start[e], start[e + 1]));
            }
        }
        Tensor expertOut = used == 1 ? outputs[0] : Indexing.concat(0, Arrays.copyOf(outputs, used));
        // Back to slot order [n * k, dim], weight by the gates, sum the k slots of each token.
        Tensor slotOut = Indexing.indexSelect(expertOut, 0, Tensor.ofInts(inverse, slots));
        Tensor weighted = Arith.mul(slotOut.reshape(n, topK, dim), gates.unsqueeze(2));
        Tensor y = Reduce.sum(weighted, 1, false);
        return y.reshape(shape);
    }

    /** Top-k of affinity + bias per token (selection only; no gradient flows through it). */
    private Tensor select(Tensor affinity) {
        try (var g = GradMode.disabled()) {
            Tensor scores = balance ? Arith.add(affinity, bias.to(affinity.dtype())) : affinity;
            return Indexing.topK(scores, topK).indices();
        }
    }

    private void countLoad(int[] picks) {
        if (!isTraining()) {
            return;
        }
        synchronized (load) {
            for (int e : picks) {
                load[e]++;
            }
            tokensSeen += picks.length / topK;
        }
    }

    /**
     * Loss-free balancing update from the load counted since the last call; call once per optimizer step.
     * Returns the load of the step per expert (then resets it).
     */
    public long[] updateBalance() {
        long[] step;
        synchronized (load) {
            step = load.clone();
            Arrays.fill(load, 0);
            tokensSeen = 0;
        }
        if (balance) {
            double mean = Arrays.stream(step).sum() / (double) expertCount;
            for (int e = 0; e < expertCount; e++) {
                double b = bias.getFlat(e);
                bias.setFlat(e, b + rate * Math.signum(mean - step[e]));
            }
        }
        return step;
    }

    /** Max over min expert load of a load vector (infinite when some expert got nothing). */
    public static double imbalance(long[] load) {
        long max = Arrays.stream(load).max().orElse(0);
        long min = Arrays.stream(load).min().orElse(0);
        return min == 0 ? (max == 0 ? 1.0 : Double.POSITIVE_INFINITY) : (double) max / min;
    }

    /**
     * Fixes the routing to the given I32 {@code [tokens, k]} expert indices (null to unpin): gradient checks pin
     * routing so finite differences do not flip the discrete choice.
     */
    public void pinRouting(Tensor indices) {
        if (indices != null && (indices.dtype() != DType.I32 || indices.rank() != 2 || indices.dim(1) != topK)) {
            throw new IllegalArgumentException("MoE: pinned routing must be I32 [tokens, " + topK + "], got "
                    + indices.dtype() + Shapes.str(indices.shape()));
        }
        this.pinnedRouting = indices;
    }

    private Tensor checkedPinned(int n) {
        if (pinnedRouting.dim(0) != n) {
            throw new IllegalArgumentException("MoE: pinned routing is for " + pinnedRouting.dim(0) + " tokens, input has " + n);
        }
        return pinnedRouting;
    }

    public Tensor balanceBias() {
        return bias;
    }

    public int expertCount() {
        return expertCount;
    }

    public int topK() {
        return topK;
    }

    public SwiGluFfn expert(int e) {
        return experts.get(e);
    }

    public Linear router() {
        return router;
    }
}
