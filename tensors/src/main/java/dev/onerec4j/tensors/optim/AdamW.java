package dev.onerec4j.tensors.optim;

import dev.onerec4j.tensors.Tensor;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * AdamW (Loshchilov and Hutter): Adam with weight decay decoupled from the gradient. Parameters whose name is in
 * the no-decay set (norm gains, biases, embeddings by the caller's choice) are not decayed. The moments are
 * updated in place by the backend's fused kernel.
 */
public final class AdamW extends StatefulOptimizer {

    private static final String M = "adam_m";
    private static final String V = "adam_v";

    private final Map<String, Double> decay = new LinkedHashMap<>();
    private final double beta1;
    private final double beta2;
    private final double eps;

    /**
     * @param params      parameters by name
     * @param weightDecay decoupled decay for parameters not matched by {@code noDecay}
     * @param noDecay     parameter names (exact) that get no decay
     */
    public AdamW(Map<String, Tensor> params, double beta1, double beta2, double eps, double weightDecay, Set<String> noDecay) {
        super("adamw", params);
        if (beta1 < 0 || beta1 >= 1 || beta2 < 0 || beta2 >= 1 || eps <= 0 || weightDecay < 0) {
            throw new IllegalArgumentException("AdamW: need 0 <= beta < 1, eps > 0, weightDecay >= 0; got beta1=" + beta1
                    + ", beta2=" + beta2 + ", eps=" + eps + ", weightDecay=" + weightDecay);
        }
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        for (String name : this.params.keySet()) {
            decay.put(name, noDecay.contains(name) ? 0.0 : weightDecay);
        }
        addState(M);
        addState(V);
    }

    @Override
    protected void update(String name, Tensor p, Tensor g, double lr, long step) {
        double bias1 = 1 - Math.pow(beta1, step);
        double bias2 = 1 - Math.pow(beta2, step);
        p.backend().adamw(p, g, state(M, name), state(V, name), lr, beta1, beta2, eps, decay.get(name), bias1, bias2);
    }
}
