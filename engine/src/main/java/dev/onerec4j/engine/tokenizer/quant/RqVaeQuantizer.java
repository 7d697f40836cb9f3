package dev.onerec4j.engine.tokenizer.quant;

import dev.onerec4j.tensors.DType;
import dev.onerec4j.tensors.GradMode;
import dev.onerec4j.tensors.MemoryScope;
import dev.onerec4j.tensors.Tensor;
import dev.onerec4j.tensors.nn.Init;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/** A trained RQ-VAE as a {@link Quantizer}: latents from its encoder, reconstructions from its decoder. */
public final class RqVaeQuantizer implements Quantizer {

    public static final String METHOD = "rq-vae";
    private static final String PREFIX = "rqvae.";
    private static final int CHUNK = 4096;

    private final RqVaeNet net;
    private final ResidualCodebooks codebooks;

    RqVaeQuantizer(RqVaeNet net, ResidualCodebooks codebooks) {
        this.net = net;
        this.codebooks = codebooks;
    }

    /** Rebuilds a saved RQ-VAE from its {@link #stateTensors()}, with parameters in {@code scope}. */
    public static RqVaeQuantizer load(Map<String, Tensor> tensors, MemoryScope scope, int inputDim, int hidden, int latent,
                                      int[] sizes) {
        RqVaeNet net = new RqVaeNet(new Init(scope, DType.F32, 0), inputDim, hidden, latent, sizes);
        for (Map.Entry<String, Tensor> e : net.stateTensors().entrySet()) {
            Tensor saved = tensors.get(PREFIX + e.getKey());
            if (saved == null || !java.util.Arrays.equals(saved.shape(), e.getValue().shape())) {
                throw new IllegalArgumentException("rq-vae: tensor " + PREFIX + e.getKey() + " is missing or has the wrong shape");
            }
            e.getValue().copyFrom(saved);
        }
        return new RqVaeQuantizer(net, net.frozenCodebooks());
    }

    @Override
    public String method() {
        return METHOD;
    }

    @Override
    public ResidualCodebooks codebooks() {
        return codebooks;
    }

    @Override
    public int inputDim() {
        return net.inputDim();
    }

    public int hidden() {
        return net.hidden();
    }

    public int latent() {
        return net.latent();
    }

    @Override
    public float[] toLatent(float[] x, int n) {
        return apply(x, n, net.inputDim(), net.latent(), net::encode);
    }

    @Override
    public float[] fromLatent(float[] z, int n) {
        return apply(z, n, net.latent(), net.inputDim(), net::decode);
    }

    private static float[] apply(float[] in, int n, int inDim, int outDim, Function<Tensor, Tensor> f) {
        float[] out = new float[n * outDim];
        try (var g = GradMode.disabled()) {
            for (int from = 0; from < n; from += CHUNK) {
                int count = Math.min(CHUNK, n - from);
                try (MemoryScope scope = MemoryScope.open("rq-vae-apply")) {
                    float[] chunk = java.util.Arrays.copyOfRange(in, from * inDim, (from + count) * inDim);
                    float[] y = f.apply(Tensor.of(chunk, count, inDim)).toFloatArray();
                    System.arraycopy(y, 0, out, from * outDim, count * outDim);
                }
            }
        }
        return out;
    }

    @Override
    public Map<String, Tensor> stateTensors() {
        Map<String, Tensor> out = new LinkedHashMap<>(RqKmeansQuantizer.codebookTensors(codebooks));
        net.stateTensors().forEach((k, v) -> out.put(PREFIX + k, v));
        return out;
    }
}
