package dev.onerec4j.tensors.backend.cuda;

import dev.onerec4j.kernels.BinaryOp;
import dev.onerec4j.kernels.ReduceOp;
import dev.onerec4j.kernels.UnaryOp;
import dev.onerec4j.kernels.cuda.Cuda;
import dev.onerec4j.kernels.cuda.CudaContext;
import dev.onerec4j.kernels.cuda.CudaUnavailableException;
import dev.onerec4j.tensors.Allocators;
import dev.onerec4j.tensors.DType;
import dev.onerec4j.tensors.Device;
import dev.onerec4j.tensors.Tensor;
import dev.onerec4j.tensors.backend.Backend;

/**
 * The CUDA backend: kernels compiled from the project's {@code .cu} sources with NVRTC, cuBLASLt for matrix
 * products, a caching device allocator, all on one stream of the primary context of one GPU. F32 is the
 * compute type; BF16 is a storage and matmul-input type; I32 holds indices. Each primitive family lives in its
 * own class, as in the CPU backend.
 *
 * <p>Beyond {@link Backend}, it offers the recommender's fused device primitives: MoE routing, permutation and
 * combination, and the trie-constrained beam-search step.
 */
public final class CudaBackend implements Backend {

    private static volatile CudaBackend instance;

    private final CudaRuntime rt;

    private CudaBackend(CudaRuntime rt) {
        this.rt = rt;
    }

    /**
     * The backend, initialised on first use (driver, context, NVRTC, cuBLASLt) and its allocator registered for
     * {@link Device#CUDA}. Throws {@link CudaUnavailableException} with the reason when CUDA cannot be used.
     */
    public static CudaBackend get() {
        CudaBackend b = instance;
        if (b != null) {
            return b;
        }
        synchronized (CudaBackend.class) {
            if (instance == null) {
                if (!Cuda.isAvailable()) {
                    throw new CudaUnavailableException(Cuda.unavailableReason());
                }
                CudaRuntime runtime = new CudaRuntime(CudaContext.get());
                Allocators.register(Device.CUDA, runtime.allocator());
                instance = new CudaBackend(runtime);
            }
            return instance;
        }
    }

    @Override
    public Device device() {
        return Device.CUDA;
    }

    @Override
    public boolean supports(DType dtype) {
        return dtype == DType.F32 || dtype == DType.BF16 || dtype == DType.I32;
    }

    /** Waits for all issued work and throws the first bad input a kernel reported. */
    public void synchronize() {
        rt.synchronize();
    }

    /** The caching allocator's statistics. */
    public CudaAllocator.Stats memoryStats() {
        return rt.allocator().stats();
    }

    /** Returns cached device blocks to the driver (e.g. before handing the GPU to another library). */
    public void emptyCache() {
        rt.context().synchronize();
        rt.allocator().emptyCache();
    }

    /** The device context (stream, kernels), for timing with events or capturing graphs. */
    public CudaContext context() {
        return rt.context();
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        CudaCopy.copy(rt, src, dst);
    }

    @Override
    public void fill(Tensor dst, double value) {
        CudaRuntime.requireCuda(dst);
        CudaCopy.fill(rt, dst, value);
    }

    @Override
    public void binary(BinaryOp op, Tensor a, Tensor b, Tensor out) {
        CudaElementwise.binary(rt, op, a, b, out);
    }

    @Override
    public void unary(UnaryOp op, Tensor a, Tensor out) {
        CudaElementwise.unary(rt, op, a, out);
    }

    @Override
    public void affine(Tensor a, double scale, double shift, Tensor out) {
        CudaElementwise.affine(rt, a, scale, shift, out);
    }

    @Override
    public void where(Tensor cond, Tensor a, Tensor b, Tensor out) {
        CudaElementwise.where(rt, cond, a, b, out);
    }

    @Override
    public void reduce(ReduceOp op, Tensor a, int outer, int mid, int inner, Tensor out) {
        CudaReduce.reduce(rt, op, a, outer, mid, inner, out);
    }

    @Override
    public void matmul(Tensor a, Tensor b, Tensor out, float alpha, float beta) {
        CudaMatmul.matmul(rt, a, b, out, alpha, beta);
    }

    @Override
    public void softmax(Tensor x, Tensor out, boolean log) {
        CudaNn.softmax(rt, x, out, log);
    }

    @Override
    public void softmaxBackward(Tensor y, Tensor gradY, Tensor gradX, boolean log) {
        CudaNn.softmaxBackward(rt, y, gradY, gradX, log);
    }

    @Override
    public void rmsNorm(Tensor x, Tensor weight, double eps, Tensor out, Tensor rstd) {
        CudaNn.rmsNorm(rt, x, weight, eps, out, rstd);
    }

    @Override
    public void rmsNormBackward(Tensor x, Tensor weight, Tensor rstd, Tensor gradOut, Tensor gradX, Tensor gradWeight) {
        CudaNn.rmsNormBackward(rt, x, weight, rstd, gradOut, gradX, gradWeight);
    }

    @Override
    public void crossEntropy(Tensor logits, Tensor targets, int ignoreIndex, double smoothing, Tensor loss, Tensor gradLogits) {
        CudaNn.crossEntropy(rt, logits, targets, ignoreIndex, smoothing, loss, gradLogits);
    }

    @Override
    public void attention(Tensor q, Tensor k, Tensor v, Tensor keyMask, boolean causal, double scale, Tensor out, Tensor lse) {
        CudaAttention.forward(rt, q, k, v, keyMask, causal, scale, out, lse);
    }

    @Override
    public void attentionBackward(Tensor q, Tensor k, Tensor v, Tensor keyMask, boolean causal, double scale, Tensor out,
                                  Tensor lse, Tensor gradOut, Tensor gradQ, Tensor gradK, Tensor gradV) {
        CudaAttention.backward(rt, q, k, v, keyMask, causal, scale, out, lse, gradOut, gradQ, gradK, gradV);
    }

    @Override
    public void indexSelect(Tensor src, Tensor index, Tensor out) {
        CudaIndexing.indexSelect(rt, src, index, out);
    }

    @Override
    public void indexAdd(Tensor dst, Tensor index, Tensor src) {
        CudaIndexing.indexAdd(rt, dst, index, src);
    }

    @Override
    public void gatherLast(Tensor src, Tensor index, Tensor out) {
        CudaIndexing.gatherLast(rt, src, index, out);
    }

    @Override
    public void scatterAddLast(Tensor dst, Tensor index, Tensor src) {
        CudaIndexing.scatterAddLast(rt, dst, index, src);
    }

    @Override
    public void topK(Tensor x, int k, Tensor values, Tensor indices) {
        CudaIndexing.topK(rt, x, k, values, indices);
    }

    @Override
    public void dropoutMask(Tensor mask, double p, long seed) {
        CudaIndexing.dropoutMask(rt, mask, p, seed);
    }

    @Override
    public void adamw(Tensor param, Tensor grad, Tensor m, Tensor v, double lr, double beta1, double beta2, double eps,
                      double weightDecay, double bias1, double bias2) {
        CudaOptim.adamw(rt, param, grad, m, v, lr, beta1, beta2, eps, weightDecay, bias1, bias2);
    }

    // ------------------------------------------------------------------ recommender primitives

    /**
     * MoE routing with loss-free balancing, as {@code MixtureOfExperts}: with affinities
     * {@code s = softmax(logits)}, {@code experts [tokens, k]} are the top-k of {@code s + bias} (bias may be
     * null) and {@code weights [tokens, k]} the picked affinities renormalised to sum to 1.
     */
    public void moeRoute(Tensor logits, Tensor bias, int k, Tensor experts, Tensor weights) {
        CudaFusedOps.moeRoute(rt, logits, bias, k, experts, weights);
    }

    /** Stable grouping of assignments by expert; see {@link CudaFusedOps#moePermute}. */
    public void moePermute(Tensor experts, int numExperts, Tensor position, Tensor sortedToken, Tensor offsets) {
        CudaFusedOps.moePermute(rt, experts, numExperts, position, sortedToken, offsets);
    }

    public void moeCombine(Tensor expertOut, Tensor position, Tensor weights, Tensor y) {
        CudaFusedOps.moeCombine(rt, expertOut, position, weights, y);
    }

    public void moeCombineBackward(Tensor expertOut, Tensor position, Tensor weights, Tensor gradY, Tensor gradExpertOut,
                                   Tensor gradWeights) {
        CudaFusedOps.moeCombineBackward(rt, expertOut, position, weights, gradY, gradExpertOut, gradWeights);
    }

    /** One trie-constrained beam-search step; see {@code beam.cu}. */
    public void beamStep(Tensor logProbs, Tensor beamScores, Tensor nodes, Tensor childStart, Tensor childToken,
                         Tensor childNode, int width, Tensor outScore, Tensor outParent, Tensor outToken, Tensor outNode) {
        CudaFusedOps.beamStep(rt, logProbs, beamScores, nodes, childStart, childToken, childNode, width, outScore, outParent,
                outToken, outNode);
    }
}
