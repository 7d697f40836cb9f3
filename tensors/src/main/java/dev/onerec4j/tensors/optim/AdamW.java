package dev.onerec4j.tensors.optim;

import dev.onerec4j.tensors.MemoryScope;
import dev.onerec4j.tensors.Shapes;
import dev.onerec4j.tensors.Tensor;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * AdamW (Loshchilov and Hutter): Adam with weight decay decoupled from the gradient. Parameters whose name is in
 * the no-decay set (norm gains, biases, embeddings by the caller's choice) are not decayed. The moments live in
 * the optimizer's own memory scope and are updated in place by the backend's fused kernel.
 */
public final class AdamW implements Optimizer {

    private final Map<String, Tensor> params;
    private final Map<String, Double> decay = new LinkedHashMap<>();
    private final Map<String, Tensor> m = new LinkedHashMap<>();
    private final Map<String, Tensor> v = new LinkedHashMap<>();
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final MemoryScope scope = MemoryScope.owned("adamw");
    private long steps;

    /**
     * @param params      parameters by name
     * @param weightDecay decoupled decay for parameters not matched by {@code noDecay}
     * @param noDecay     parameter names (exact) that get no decay
     */
    public AdamW(Map<String, Tensor> params, double beta1, double beta2, double eps, double weightDecay,
                 java.util.Set<String> noDecay) {
        if (beta1 < 0 || beta1 >= 1 || beta2 < 0 || beta2 >= 1 || eps <= 0 || weightDecay < 0) {
            throw new IllegalArgumentException("AdamW: need 0 <= beta < 1, eps > 0, weightDecay >= 0; got beta1=" + beta1
                    + ", beta2=" + beta2 + ", eps=" + eps + ", weightDecay=" + weightDecay);
        }
        this.params = new LinkedHashMap<>(params);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        for (Map.Entry<String, Tensor> e : this.params.entrySet()) {
            Tensor p = e.getValue();
            decay.put(e.getKey(), noDecay.contains(e.getKey()) ? 0.0 : weightDecay);
            m.put(e.getKey(), Tensor.empty(p.dtype(), p.device(), scope, p.shape()).fill(0.0));
            v.put(e.getKey(), Tensor.empty(p.dtype(), p.device(), scope, p.shape()).fill(0.0));
        }
    }

    @Override
    public void step(double lr) {
        steps++;
        double bias1 = 1 - Math.pow(beta1, steps);
        double bias2 = 1 - Math.pow(beta2, steps);
        for (Map.Entry<String, Tensor> e : params.entrySet()) {
            Tensor p = e.getValue();
            Tensor g = p.grad();
            if (g == null) {
                continue;
            }
            p.backend().adamw(p, g, m.get(e.getKey()), v.get(e.getKey()), lr, beta1, beta2, eps,
                    decay.get(e.getKey()), bias1, bias2);
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
        m.forEach((k, t) -> out.put("adam_m." + k, t));
        v.forEach((k, t) -> out.put("adam_v." + k, t));
        return out;
    }

    @Override
    public void loadState(Map<String, Tensor> tensors, long steps) {
        for (Map.Entry<String, Tensor> e : stateTensors().entrySet()) {
            Tensor src = tensors.get(e.getKey());
            if (src == null) {
                throw new IllegalArgumentException("optimizer state is missing '" + e.getKey()
                        + "': the checkpoint was written for a different model");
            }
            Shapes.requireSame("optimizer state " + e.getKey(), e.getValue().shape(), src.shape());
            e.getValue().copyFrom(src);
        }
        this.steps = steps;
    }
}
