package dev.onerec4j.tensors.optim;

import dev.onerec4j.kernels.BinaryOp;
import dev.onerec4j.tensors.MemoryScope;
import dev.onerec4j.tensors.Shapes;
import dev.onerec4j.tensors.Tensor;

import java.util.LinkedHashMap;
import java.util.Map;

/** Stochastic gradient descent with optional momentum and decoupled weight decay. */
public final class Sgd implements Optimizer {

    private final Map<String, Tensor> params;
    private final Map<String, Tensor> velocity = new LinkedHashMap<>();
    private final double momentum;
    private final double weightDecay;
    private final MemoryScope scope = MemoryScope.owned("sgd");
    private long steps;

    public Sgd(Map<String, Tensor> params, double momentum, double weightDecay) {
        if (momentum < 0 || momentum >= 1 || weightDecay < 0) {
            throw new IllegalArgumentException("SGD: need 0 <= momentum < 1 and weightDecay >= 0, got momentum="
                    + momentum + ", weightDecay=" + weightDecay);
        }
        this.params = new LinkedHashMap<>(params);
        this.momentum = momentum;
        this.weightDecay = weightDecay;
        if (momentum > 0) {
            for (Map.Entry<String, Tensor> e : this.params.entrySet()) {
                Tensor p = e.getValue();
                velocity.put(e.getKey(), Tensor.empty(p.dtype(), p.device(), scope, p.shape()).fill(0.0));
            }
        }
    }

    @Override
    public void step(double lr) {
        steps++;
        for (Map.Entry<String, Tensor> e : params.entrySet()) {
            Tensor p = e.getValue();
            Tensor g = p.grad();
            if (g == null) {
                continue;
            }
            if (weightDecay > 0) {
                p.backend().affine(p, 1 - lr * weightDecay, 0, p);
            }
            Tensor update = g;
            if (momentum > 0) {
                Tensor vel = velocity.get(e.getKey());
                p.backend().affine(vel, momentum, 0, vel);
                p.backend().binary(BinaryOp.ADD, vel, g, vel);
                update = vel;
            }
            try (MemoryScope s = MemoryScope.open("sgd-step")) {
                Tensor scaled = Tensor.emptyLike(update, update.shape());
                p.backend().affine(update, -lr, 0, scaled);
                p.backend().binary(BinaryOp.ADD, p, scaled, p);
            }
        }
    }

    @Override
    public long steps() {
        return steps;
    }

    @Override
    public void zeroGrad() {
        for (Tensor p : params.values()) {
            p.zeroGrad();
        }
    }

    @Override
    public Map<String, Tensor> stateTensors() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        velocity.forEach((k, t) -> out.put("sgd_velocity." + k, t));
        return out;
    }

    @Override
    public void loadState(Map<String, Tensor> tensors, long steps) {
        for (Map.Entry<String, Tensor> e : stateTensors().entrySet()) {
            Tensor src = tensors.get(e.getKey());
            if (src == null) {
                throw new IllegalArgumentException("optimizer state is missing '" + e.getKey() + "'");
            }
            Shapes.requireSame("optimizer state " + e.getKey(), e.getValue().shape(), src.shape());
            e.getValue().copyFrom(src);
        }
        this.steps = steps;
    }
}
