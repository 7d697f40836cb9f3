package dev.onerec4j.tensors.backend.cuda;

import dev.onerec4j.kernels.cuda.KernelArgs;
import dev.onerec4j.kernels.cuda.LaunchConfig;
import dev.onerec4j.tensors.DType;
import dev.onerec4j.tensors.MemoryScope;
import dev.onerec4j.tensors.Shapes;
import dev.onerec4j.tensors.Tensor;

/**
 * Device primitives of the recommender that the generic {@code Backend} interface does not (yet) name: MoE
 * routing and token permutation, and the trie-constrained beam-search step. See {@code moe.cu} and
 * {@code beam.cu} for the exact semantics.
 */
final class CudaFusedOps {

    private CudaFusedOps() {
    }

    static void moeRoute(CudaRuntime rt, Tensor logits, Tensor bias, int k, Tensor experts, Tensor weights) {
        Shapes.requireRank("moeRoute", logits, 2);
        int tokens = logits.dim(0);
        int e = logits.dim(1);
        if (k < 1 || k > e) {
            throw new IllegalArgumentException("moeRoute: k = " + k + " must be in [1, " + e + "] (the number of experts)");
        }
        if (bias != null) {
            Shapes.requireSame("moeRoute bias", new int[] {e}, bias.shape());
            CudaElementwise.requireF32("moeRoute", bias);
        }
        Shapes.requireSame("moeRoute experts", new int[] {tokens, k}, experts.shape());
        Shapes.requireSame("moeRoute weights", new int[] {tokens, k}, weights.shape());
        CudaElementwise.requireF32("moeRoute", logits, weights);
        if (experts.dtype() != DType.I32) {
            throw new IllegalArgumentException("moeRoute: expert indices must be I32, got " + experts.dtype());
        }
        CudaRuntime.requireCuda(experts);
        CudaNn.requireContiguous("moeRoute", logits, bias, experts, weights);
        if (tokens == 0) {
            return;
        }
        KernelArgs a = KernelArgs.begin().ptr(CudaRuntime.ptr(logits)).ptr(CudaRuntime.ptrOrNull(bias)).i64(tokens).i32(e)
                .i32(k).ptr(CudaRuntime.ptr(experts)).ptr(CudaRuntime.ptr(weights));
        rt.launch("moe.cu", "moe_route", LaunchConfig.elementwise((long) tokens * 32, 256), a);
    }

    /**
     * Groups the assignments {@code experts [tokens, k]} by expert, stably: {@code position [tokens * k]} is the
     * row of each assignment in the expert-sorted layout, {@code sortedToken [tokens * k]} the token of each
     * sorted row, and {@code offsets [numExperts + 1]} where each expert's rows start.
     */
    static void moePermute(CudaRuntime rt, Tensor experts, int numExperts, Tensor position, Tensor sortedToken, Tensor offsets) {
        Shapes.requireRank("moePermute", experts, 2);
        long assignments = experts.numel();
        if (assignments >= (1L << 24)) {
            throw new IllegalArgumentException("moePermute: at most 2^24 assignments per call, got " + assignments);
        }
        Shapes.requireSame("moePermute position", new int[] {(int) assignments}, position.shape());
        Shapes.requireSame("moePermute sortedToken", new int[] {(int) assignments}, sortedToken.shape());
        Shapes.requireSame("moePermute offsets", new int[] {numExperts + 1}, offsets.shape());
        for (Tensor t : new Tensor[] {experts, position, sortedToken, offsets}) {
            if (t.dtype() != DType.I32) {
                throw new IllegalArgumentException("moePermute: index tensors must be I32, got " + t.dtype());
            }
            CudaRuntime.requireCuda(t);
        }
        CudaNn.requireContiguous("moePermute", experts, position, sortedToken, offsets);
        if (numExperts < 1) {
            throw new IllegalArgumentException("moePermute: needs at least one expert");
        }
        try (MemoryScope tmp = MemoryScope.owned("cuda-moe")) {
            Tensor counts = CudaRuntime.temp(tmp, DType.I32, numExperts);
            KernelArgs c = KernelArgs.begin().ptr(CudaRuntime.ptr(experts)).i64(assignments).ptr(CudaRuntime.ptr(counts));
            rt.launch("moe.cu", "moe_count", LaunchConfig.perRow(numExperts, 256, 0), c);
            KernelArgs p = KernelArgs.begin().ptr(CudaRuntime.ptr(experts)).i64(assignments).i32(experts.dim(1))
                    .i32(numExperts).ptr(CudaRuntime.ptr(counts)).ptr(CudaRuntime.ptr(position))
                    .ptr(CudaRuntime.ptr(sortedToken)).ptr(CudaRuntime.ptr(offsets));
            rt.launch("moe.cu", "moe_positions", LaunchConfig.perRow(numExperts, 256, 0), p);
        }
    }

    /** {@code y[t] = sum_s weights[t, s] * expertOut[position[t * k + s]]}. */
    static void moeCombine(CudaRuntime rt, Tensor expertOut, Tensor position, Tensor weights, Tensor y) {
        Shapes.requireRank("moeCombine", weights, 2);
        int tokens = weights.dim(0);
        int k = weights.dim(1);
        int width = expertOut.dim(-1);
        Shapes.requireSame("moeCombine y", new int[] {tokens, width}, y.shape());
        Shapes.requireSame("moeCombine position", new int[] {tokens * k}, position.shape());
        CudaElementwise.requireF32("moeCombine", expertOut, weights, y);
        CudaNn.requireContiguous("moeCombine", expertOut, position, weights, y);
        if (tokens == 0 || width == 0) {
            return;
        }
        KernelArgs a = KernelArgs.begin().ptr(CudaRuntime.ptr(expertOut)).ptr(CudaRuntime.ptr(position))
                .ptr(CudaRuntime.ptr(weights)).i64(tokens).i32(k).i64(width).ptr(CudaRuntime.ptr(y));
        rt.launch("moe.cu", "moe_combine", LaunchConfig.tiles(tokens, 8, 1, 32, 8, 0), a);
    }

    /** Gradients of {@link #moeCombine}: {@code gradExpertOut} (every row written) and {@code gradWeights}. */
    static void moeCombineBackward(CudaRuntime rt, Tensor expertOut, Tensor position, Tensor weights, Tensor gradY,
                                   Tensor gradExpertOut, Tensor gradWeights) {
        int tokens = weights.dim(0);
        int k = weights.dim(1);
        int width = expertOut.dim(-1);
        Shapes.requireSame("moeCombineBackward gradY", new int[] {tokens, width}, gradY.shape());
        Shapes.requireSame("moeCombineBackward gradExpertOut", expertOut.shape(), gradExpertOut.shape());
        Shapes.requireSame("moeCombineBackward gradWeights", weights.shape(), gradWeights.shape());
        CudaElementwise.requireF32("moeCombineBackward", expertOut, weights, gradY, gradExpertOut, gradWeights);
        CudaNn.requireContiguous("moeCombineBackward", expertOut, position, weights, gradY, gradExpertOut, gradWeights);
        long assignments = (long) tokens * k;
        if (assignments == 0) {
            return;
        }
        KernelArgs a = KernelArgs.begin().ptr(CudaRuntime.ptr(expertOut)).ptr(CudaRuntime.ptr(position))
                .ptr(CudaRuntime.ptr(weights)).ptr(CudaRuntime.ptr(gradY)).i64(assignments).i32(k).i64(width)
                .ptr(CudaRuntime.ptr(gradExpertOut)).ptr(CudaRuntime.ptr(gradWeights));
        rt.launch("moe.cu", "moe_combine_bwd", LaunchConfig.elementwise(assignments * 32, 256), a);
    }

    /** One beam-search step over a trie in CSR form; see {@code beam.cu}. */
    static void beamStep(CudaRuntime rt, Tensor logProbs, Tensor beamScores, Tensor nodes, Tensor childStart,
                         Tensor childToken, Tensor childNode, int width, Tensor outScore, Tensor outParent,
                         Tensor outToken, Tensor outNode) {
        Shapes.requireRank("beamStep", logProbs, 3);
        int batch = logProbs.dim(0);
        int beams = logProbs.dim(1);
        int vocab = logProbs.dim(2);
        if (beams > 1024) {
            throw new IllegalArgumentException("beamStep: at most 1024 beams, got " + beams);
        }
        if ((long) beams * vocab >= 0xffffffffL) {
            throw new IllegalArgumentException("beamStep: beams x vocabulary must stay below 2^32");
        }
        Shapes.requireSame("beamStep beamScores", new int[] {batch, beams}, beamScores.shape());
        Shapes.requireSame("beamStep nodes", new int[] {batch, beams}, nodes.shape());
        for (Tensor t : new Tensor[] {outScore, outParent, outToken, outNode}) {
            Shapes.requireSame("beamStep outputs", new int[] {batch, width}, t.shape());
        }
        CudaElementwise.requireF32("beamStep", logProbs, beamScores, outScore);
        for (Tensor t : new Tensor[] {nodes, childStart, childToken, childNode, outParent, outToken, outNode}) {
            if (t.dtype() != DType.I32) {
                throw new IllegalArgumentException("beamStep: trie and index tensors must be I32, got " + t.dtype());
            }
            CudaRuntime.requireCuda(t);
        }
        CudaNn.requireContiguous("beamStep", logProbs, beamScores, nodes, childStart, childToken, childNode, outScore,
                outParent, outToken, outNode);
        if (childToken.numel() != childNode.numel()) {
            throw new IllegalArgumentException("beamStep: childToken and childNode differ in length");
        }
        if (batch == 0 || width == 0) {
            return;
        }
        int numNodes = (int) childStart.numel() - 1;
        KernelArgs a = KernelArgs.begin().ptr(CudaRuntime.ptr(logProbs)).ptr(CudaRuntime.ptr(beamScores))
                .ptr(CudaRuntime.ptr(nodes)).i32(beams).i32(vocab).ptr(CudaRuntime.ptr(childStart))
                .ptr(CudaRuntime.ptr(childToken)).ptr(CudaRuntime.ptr(childNode)).i32(numNodes).i32(width)
                .ptr(CudaRuntime.ptr(outScore)).ptr(CudaRuntime.ptr(outParent)).ptr(CudaRuntime.ptr(outToken))
                .ptr(CudaRuntime.ptr(outNode)).ptr(rt.errorWord());
        rt.launch("beam.cu", "beam_step", LaunchConfig.perRow(batch, 256, 0), a);
    }
}
