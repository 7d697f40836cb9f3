package dev.onerec4j.tensors.optim;

import dev.onerec4j.kernels.BinaryOp;
import dev.onerec4j.tensors.MemoryScope;
import dev.onerec4j.tensors.Tensor;

import java.util.Map;

/** Stochastic gradient descent with optional momentum and decoupled weight decay. */
public final class Sgd extends StatefulOptimizer {

    private static final String VELOCITY = "sgd_velocity";

    private final double momentum;
    private final double weightDecay;

    public Sgd(Map<String, Tensor> params, double momentum, double weightDecay) {
        super("sgd", params);
        if (momentum < 0 || momentum >= 1 || weightDecay < 0) {
            throw new IllegalArgumentException("SGD: need 0 <= momentum < 1 and weightDecay >= 0, got momentum="
                    + momentum + ", weightDecay=" + weightDecay);
        }
        this.momentum = momentum;
        this.weightDecay = weightDecay;
        if (momentum > 0) {
            addState(VELOCITY);
        }
    }

    @Override
    protected void update(String name, Tensor p, Tensor g, double lr, long step) {
        if (weightDecay > 0) {
            p.backend().affine(p, 1 - lr * weightDecay, 0, p);
        }
        Tensor direction = g;
        if (momentum > 0) {
            Tensor vel = state(VELOCITY, name);
            p.backend().affine(vel, momentum, 0, vel);
            p.backend().binary(BinaryOp.ADD, vel, g, vel);
            direction = vel;
        }
        try (MemoryScope s = MemoryScope.open("sgd-step")) {
            Tensor scaled = Tensor.emptyLike(direction, direction.shape());
            p.backend().affine(direction, -lr, 0, scaled);
            p.backend().binary(BinaryOp.ADD, p, scaled, p);
        }
    }
}
