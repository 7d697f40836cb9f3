package dev.onerec4j.engine.tokenizer.quant;

import dev.onerec4j.tensors.Tensor;

import java.util.LinkedHashMap;
import java.util.Map;

/** RQ-Kmeans as a {@link Quantizer}: the latent space is the embedding space itself. */
public final class RqKmeansQuantizer implements Quantizer {

    public static final String METHOD = "rq-kmeans";

    private final ResidualCodebooks codebooks;

    public RqKmeansQuantizer(ResidualCodebooks codebooks) {
        this.codebooks = codebooks;
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
        return codebooks.dim();
    }

    @Override
    public float[] toLatent(float[] x, int n) {
        return java.util.Arrays.copyOf(x, n * codebooks.dim());
    }

    @Override
    public float[] fromLatent(float[] z, int n) {
        return java.util.Arrays.copyOf(z, n * codebooks.dim());
    }

    @Override
    public Map<String, Tensor> stateTensors() {
        return codebookTensors(codebooks);
    }

    /** The codebooks as {@code codebook.<level>} tensors {@code [size, dim]}. */
    public static Map<String, Tensor> codebookTensors(ResidualCodebooks codebooks) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (int l = 0; l < codebooks.levels(); l++) {
            out.put("codebook." + l, Tensor.of(codebooks.codebook(l), codebooks.size(l), codebooks.dim()));
        }
        return out;
    }

    /** Reads {@code codebook.0 .. codebook.<levels-1>} back. */
    public static ResidualCodebooks codebooksFrom(Map<String, Tensor> tensors, int levels) {
        float[][] books = new float[levels][];
        int dim = -1;
        for (int l = 0; l < levels; l++) {
            Tensor t = tensors.get("codebook." + l);
            if (t == null || t.rank() != 2 || (dim >= 0 && t.dim(1) != dim)) {
                throw new IllegalArgumentException("codebooks: tensor codebook." + l + " is missing or not [size, "
                        + (dim < 0 ? "dim" : dim) + "]");
            }
            dim = t.dim(1);
            books[l] = t.toFloatArray();
        }
        return new ResidualCodebooks(dim, books);
    }
}
