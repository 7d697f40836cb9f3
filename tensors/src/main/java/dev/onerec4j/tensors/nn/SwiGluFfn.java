package dev.onerec4j.tensors.nn;

import dev.onerec4j.tensors.Tensor;
import dev.onerec4j.tensors.ops.Arith;

/**
 * The SwiGLU feed-forward network {@code down(silu(gate(x)) * up(x))}. Gate and up projections are one fused
 * matrix, so the layer runs two matrix products instead of three.
 */
public final class SwiGluFfn extends Module {

    private final Linear gateUp;
    private final Linear down;
    private final int hidden;

    public SwiGluFfn(Init init, int dim, int hidden) {
        this.hidden = hidden;
        this.gateUp = child("gate_up", new Linear(init, dim, 2 * hidden, false));
        this.down = child("down", new Linear(init, hidden, dim, false));
    }

    public Tensor forward(Tensor x) {
        Tensor gu = gateUp.forward(x);
        Tensor gate = gu.slice(-1, 0, hidden);
        Tensor up = gu.slice(-1, hidden, 2 * hidden);
        return down.forward(Arith.swiglu(gate, up));
    }

    public int hidden() {
        return hidden;
    }

    /** Multiply-accumulate FLOPs per token (forward): three products of dim x hidden. */
    public long flopsPerToken() {
        return 2L * 3 * gateUp.inFeatures() * hidden;
    }
}
