package dev.onerec4j.tensors.nn;

import dev.onerec4j.tensors.Tensor;
import dev.onerec4j.tensors.ops.Linalg;

/** {@code y = x W^T + b} with {@code W [out, in]} initialised uniform(+-1/sqrt(in)); BF16 inputs under autocast. */
public final class Linear extends Module {

    private final Tensor weight;
    private final Tensor bias;
    private final int in;
    private final int out;

    public Linear(Init init, int in, int out, boolean bias) {
        if (in <= 0 || out <= 0) {
            throw new IllegalArgumentException("Linear needs positive sizes, got in=" + in + ", out=" + out);
        }
        this.in = in;
        this.out = out;
        double bound = 1.0 / Math.sqrt(in);
        this.weight = parameter("weight", init.uniform(bound, out, in));
        this.bias = bias ? parameter("bias", init.zeros(out)) : null;
    }

    public Tensor forward(Tensor x) {
        Tensor y = Linalg.matmul(Autocast.matmulInput(x), Autocast.matmulInput(weight).transpose(0, 1));
        if (bias != null) {
            y = dev.onerec4j.tensors.ops.Arith.add(y, bias);
        }
        return y;
    }

    public Tensor weight() {
        return weight;
    }

    public Tensor bias() {
        return bias;
    }

    public int inFeatures() {
        return in;
    }

    public int outFeatures() {
        return out;
    }
}
