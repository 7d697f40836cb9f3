package dev.onerec4j.engine.reward;

import dev.onerec4j.tensors.Tensor;
import dev.onerec4j.tensors.nn.Init;
import dev.onerec4j.tensors.nn.Linear;
import dev.onerec4j.tensors.nn.Module;
import dev.onerec4j.tensors.ops.Arith;

/**
 * One objective's tower: two SiLU layers give its hidden state, a linear head its logit. The hidden state also
 * feeds the P-Score's fusion layer.
 */
final class Tower extends Module {

    record Output(Tensor hidden, Tensor logit) {
    }

    private final Linear first;
    private final Linear second;
    private final Linear head;

    Tower(Init init, int in, int hidden) {
        this.first = child("first", new Linear(init, in, hidden, true));
        this.second = child("second", new Linear(init, hidden, hidden, true));
        this.head = child("head", new Linear(init, hidden, 1, true));
    }

    /** {@code x [B, in]} to a hidden state {@code [B, hidden]} and a logit {@code [B, 1]}. */
    Output forward(Tensor x) {
        Tensor h = Arith.silu(second.forward(Arith.silu(first.forward(x))));
        return new Output(h, head.forward(h));
    }
}
