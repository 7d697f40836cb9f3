package dev.onerec4j.tensors.optim;

import dev.onerec4j.tensors.MemoryScope;
import dev.onerec4j.tensors.Shapes;
import dev.onerec4j.tensors.Tensor;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The bookkeeping every optimizer shares: the managed parameters by name, per-parameter state tensors (moments,
 * velocities) in the optimizer's own memory scope, the step count, and saving/restoring that state for exact
 * resume. Subclasses implement one parameter's update.
 */
abstract class StatefulOptimizer implements Optimizer {

    protected final Map<String, Tensor> params;
    private final Map<String, Map<String, Tensor>> state = new LinkedHashMap<>();
    private final MemoryScope scope;
    private long steps;

    StatefulOptimizer(String name, Map<String, Tensor> params) {
        this.params = new LinkedHashMap<>(params);
        this.scope = MemoryScope.owned(name);
    }

    /** Registers a zero-filled state tensor {@code kind} (e.g. "adam_m") shaped like every parameter. */
    protected final void addState(String kind) {
        Map<String, Tensor> byParam = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : params.entrySet()) {
            Tensor p = e.getValue();
            byParam.put(e.getKey(), Tensor.empty(p.dtype(), p.device(), scope, p.shape()).fill(0.0));
        }
        state.put(kind, byParam);
    }

    protected final Tensor state(String kind, String param) {
        return state.get(kind).get(param);
    }

    /** Updates one parameter that has a gradient; {@code step} counts from 1. */
    protected abstract void update(String name, Tensor param, Tensor grad, double lr, long step);

    @Override
    public final void step(double lr) {
        steps++;
        for (Map.Entry<String, Tensor> e : params.entrySet()) {
            Tensor p = e.getValue();
            if (p.grad() != null) {
                update(e.getKey(), p, p.grad(), lr, steps);
            }
        }
    }

    @Override
    public final long steps() {
        return steps;
    }

    @Override
    public final void zeroGrad() {
        for (Tensor p : params.values()) {
            p.zeroGrad();
        }
    }

    @Override
    public final Map<String, Tensor> stateTensors() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        state.forEach((kind, byParam) -> byParam.forEach((param, t) -> out.put(kind + "." + param, t)));
        return out;
    }

    @Override
    public final void loadState(Map<String, Tensor> tensors, long steps) {
        for (Map.Entry<String, Tensor> e : stateTensors().entrySet()) {
            Tensor src = tensors.get(e.getKey());
            if (src == null) {
                throw new IllegalArgumentException("optimizer state is missing '" + e.getKey()
                        + "': the checkpoint was written for a different model or optimizer");
            }
            Shapes.requireSame("optimizer state " + e.getKey(), e.getValue().shape(), src.shape());
            e.getValue().copyFrom(src);
        }
        this.steps = steps;
    }
}
