package dev.onerec4j.engine.tokenizer.quant;

import dev.onerec4j.engine.tokenizer.Progress;
import dev.onerec4j.tensors.DType;
import dev.onerec4j.tensors.MemoryScope;
import dev.onerec4j.tensors.Tensor;
import dev.onerec4j.tensors.nn.Init;
import dev.onerec4j.tensors.ops.Arith;
import dev.onerec4j.tensors.ops.Indexing;
import dev.onerec4j.tensors.ops.Losses;
import dev.onerec4j.tensors.optim.AdamW;
import dev.onerec4j.tensors.optim.GradClip;
import dev.onerec4j.tensors.optim.WarmupCosine;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Trains the RQ-VAE baseline (Lee et al. 2022; TIGER's semantic-ID tokenizer) with the engine's autograd. Per
 * batch: the encoder maps embeddings to latents; at each level the residual's nearest codeword {@code q} is
 * found, the codebook loss {@code |q - sg(r)|^2} moves the codeword, the commitment loss
 * {@code beta |r - sg(q)|^2} moves the encoder, the straight-through estimator {@code r + sg(q - r)} passes
 * the decoder's gradient to the encoder, and the next residual is {@code r - sg(q)}; the decoder rebuilds the
 * embedding from the sum of the codewords (reconstruction loss: mean squared error). Codebooks start as
 * RQ-Kmeans centroids of the initial latents (k-means initialisation). Dead codewords are not revived: that is
 * the baseline as published.
 */
public final class RqVae {

    private RqVae() {
    }

    /** Progress units {@link #train} reports. */
    public static long progressUnits(int n, RqVaeSettings s) {
        return (long) s.epochs() * batches(n, s);
    }

    private static int batches(int n, RqVaeSettings s) {
        return Math.max(1, (n + s.batchSize() - 1) / s.batchSize());
    }

    /** Trains on the {@code n} embeddings {@code x} ({@code [n, d]}) with codebooks of {@code sizes}. */
    public static RqVaeQuantizer train(float[] x, int n, int d, int[] sizes, RqVaeSettings s, Progress progress) {
        MemoryScope params = MemoryScope.owned("rq-vae");
        RqVaeNet net = new RqVaeNet(new Init(params, DType.F32, s.seed()), d, s.hidden(), s.latent(), sizes);
        RqVaeQuantizer initial = new RqVaeQuantizer(net, net.frozenCodebooks());
        float[] z0 = initial.toLatent(x, n);
        RqKmeans.Result init = RqKmeans.fit(z0, n, s.latent(), sizes, KMeansSettings.defaults(), s.seed(), Progress.NONE);
        for (int l = 0; l < sizes.length; l++) {
            net.codebook(l).copyFrom(Tensor.of(init.codebooks().codebook(l), sizes[l], s.latent()));
        }
        Set<String> noDecay = new HashSet<>();
        for (int l = 0; l < sizes.length; l++) {
            noDecay.add("codebook" + l);
        }
        AdamW opt = new AdamW(net.namedParameters(), 0.9, 0.99, 1e-8, 1e-4, noDecay);
        int perEpoch = batches(n, s);
        long total = (long) s.epochs() * perEpoch;
        WarmupCosine schedule = new WarmupCosine(s.learningRate(), Math.max(1, total / 50), Math.max(1, total), 0.1);
        SplittableRandom rng = new SplittableRandom(s.seed() ^ 0x2545F4914F6CDD1DL);
        int[] order = new int[n];
        long step = 0;
        for (int epoch = 0; epoch < s.epochs(); epoch++) {
            shuffle(order, rng);
            for (int b = 0; b < perEpoch; b++, step++) {
                int from = b * s.batchSize();
                int count = Math.min(s.batchSize(), n - from);
                float[] xb = new float[count * d];
                for (int i = 0; i < count; i++) {
                    System.arraycopy(x, order[from + i] * d, xb, i * d, d);
                }
                try (MemoryScope scope = MemoryScope.open("rq-vae-step")) {
                    Tensor loss = loss(net, Tensor.of(xb, count, d), count, s.beta());
                    opt.zeroGrad();
                    loss.backward();
                    GradClip.clipGlobalNorm(net.parameters(), 1.0);
                    opt.step(schedule.at(step));
                    if (step % 50 == 0) {
                        progress.detail(String.format(java.util.Locale.ROOT, "loss %.4f", loss.item()));
                    }
                }
                progress.advance(1);
            }
        }
        return new RqVaeQuantizer(net, net.frozenCodebooks());
    }

    /** Reconstruction + codebook + commitment loss of one batch {@code xb [count, d]}. */
    static Tensor loss(RqVaeNet net, Tensor xb, int count, double beta) {
        Tensor r = net.encode(xb);
        int latent = net.latent();
        float[] residual = r.toFloatArray();
        int[] index = new int[count];
        float[] dist = new float[count];
        Tensor quantized = null;
        Tensor vq = null;
        for (int l = 0; l < net.levels(); l++) {
            Tensor cb = net.codebook(l);
            float[] books = cb.toFloatArray();
            DistanceKernels.nearest(residual, count, CentroidPanel.of(books, cb.dim(0), latent), index, dist);
            Tensor q = Indexing.embedding(cb, Tensor.ofInts(index, count));
            Tensor levelLoss = Arith.add(Losses.mse(q, r.detach()), Arith.scale(Losses.mse(r, q.detach()), beta));
            vq = vq == null ? levelLoss : Arith.add(vq, levelLoss);
            Tensor straightThrough = Arith.add(r, Arith.sub(q, r).detach());
            quantized = quantized == null ? straightThrough : Arith.add(quantized, straightThrough);
            r = Arith.sub(r, q.detach());
            for (int i = 0; i < count; i++) {
                int co = index[i] * latent;
                for (int j = 0; j < latent; j++) {
                    residual[i * latent + j] -= books[co + j];
                }
            }
        }
        return Arith.add(Losses.mse(net.decode(quantized), xb), vq);
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
