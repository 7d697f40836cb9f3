package dev.onerec4j.tensors.backend.cpu;

import dev.onerec4j.kernels.BinaryOp;
import dev.onerec4j.kernels.ReduceOp;
import dev.onerec4j.kernels.UnaryOp;
import dev.onerec4j.tensors.DType;
import dev.onerec4j.tensors.Device;
import dev.onerec4j.tensors.Tensor;
import dev.onerec4j.tensors.backend.Backend;

/**
 * The CPU backend: each primitive family lives in its own class (copies, element-wise, reductions, matmul,
 * neural-network primitives, attention, indexing, optimizer), which walks the tensors' layout and calls the
 * Vector API kernels of the {@code kernels} module.
 */
public final class CpuBackend implements Backend {

    public static final CpuBackend INSTANCE = new CpuBackend();

    private CpuBackend() {
    }

    @Override
    public Device device() {
        return Device.CPU;
    }

    @Override
    public boolean supports(DType dtype) {
        return true;
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        CpuCopy.copy(src, dst);
    }

    @Override
    public void fill(Tensor dst, double value) {
        CpuCopy.fill(dst, value);
    }

    @Override
    public void binary(BinaryOp op, Tensor a, Tensor b, Tensor out) {
        CpuElementwise.binary(op, a, b, out);
    }

    @Override
    public void unary(UnaryOp op, Tensor a, Tensor out) {
        CpuElementwise.unary(op, a, out);
    }

    @Override
    public void affine(Tensor a, double scale, double shift, Tensor out) {
        CpuElementwise.affine(a, scale, shift, out);
    }

    @Override
    public void where(Tensor cond, Tensor a, Tensor b, Tensor out) {
        CpuElementwise.where(cond, a, b, out);
    }

    @Override
    public void reduce(ReduceOp op, Tensor a, int outer, int mid, int inner, Tensor out) {
        CpuReduce.reduce(op, a, outer, mid, inner, out);
    }

    @Override
    public void matmul(Tensor a, Tensor b, Tensor out, float alpha, float beta) {
        CpuMatmul.matmul(a, b, out, alpha, beta);
    }

    @Override
    public void softmax(Tensor x, Tensor out, boolean log) {
        CpuNn.softmax(x, out, log);
    }

    @Override
    public void softmaxBackward(Tensor y, Tensor gradY, Tensor gradX, boolean log) {
        CpuNn.softmaxBackward(y, gradY, gradX, log);
    }

    @Override
    public void rmsNorm(Tensor x, Tensor weight, double eps, Tensor out, Tensor rstd) {
        CpuNn.rmsNorm(x, weight, eps, out, rstd);
    }

    @Override
    public void rmsNormBackward(Tensor x, Tensor weight, Tensor rstd, Tensor gradOut, Tensor gradX, Tensor gradWeight) {
        CpuNn.rmsNormBackward(x, weight, rstd, gradOut, gradX, gradWeight);
    }

    @Override
    public void crossEntropy(Tensor logits, Tensor targets, int ignoreIndex, double smoothing, Tensor loss, Tensor gradLogits) {
        CpuNn.crossEntropy(logits, targets, ignoreIndex, smoothing, loss, gradLogits);
    }

    @Override
    public void attention(Tensor q, Tensor k, Tensor v, Tensor keyMask, boolean causal, double scale, Tensor out, Tensor lse) {
        CpuAttention.forward(q, k, v, keyMask, causal, scale, out, lse);
    }

    @Override
    public void attentionBackward(Tensor q, Tensor k, Tensor v, Tensor keyMask, boolean causal, double scale, Tensor out,
                                  Tensor lse, Tensor gradOut, Tensor gradQ, Tensor gradK, Tensor gradV) {
        CpuAttention.backward(q, k, v, keyMask, causal, scale, out, lse, gradOut, gradQ, gradK, gradV);
    }

    @Override
    public void indexSelect(Tensor src, Tensor index, Tensor out) {
        CpuIndexing.indexSelect(src, index, out);
    }

    @Override
    public void indexAdd(Tensor dst, Tensor index, Tensor src) {
        CpuIndexing.indexAdd(dst, index, src);
    }

    @Override
    public void gatherLast(Tensor src, Tensor index, Tensor out) {
        CpuIndexing.gatherLast(src, index, out);
    }

    @Override
    public void scatterAddLast(Tensor dst, Tensor index, Tensor src) {
        CpuIndexing.scatterAddLast(dst, index, src);
    }

    @Override
    public void topK(Tensor x, int k, Tensor values, Tensor indices) {
        CpuIndexing.topK(x, k, values, indices);
    }

    @Override
    public void dropoutMask(Tensor mask, double p, long seed) {
        CpuIndexing.dropoutMask(mask, p, seed);
    }

    @Override
    public void adamw(Tensor param, Tensor grad, Tensor m, Tensor v, double lr, double beta1, double beta2, double eps,
                      double weightDecay, double bias1, double bias2) {
        CpuOptim.adamw(param, grad, m, v, lr, beta1, beta2, eps, weightDecay, bias1, bias2);
    }
}
