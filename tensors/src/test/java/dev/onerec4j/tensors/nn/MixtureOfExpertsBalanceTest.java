package dev.onerec4j.tensors.nn;

import dev.onerec4j.tensors.DType;
import dev.onerec4j.tensors.GradMode;
import dev.onerec4j.tensors.MemoryScope;
import dev.onerec4j.tensors.Tensor;
import dev.onerec4j.tensors.ops.Arith;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Loss-free balancing evens out expert load: a router that strongly prefers one expert (planted in its weights,
 * and an input distribution that favours it) gets a far lower max/min load ratio once the bias adapts.
 */
class MixtureOfExpertsBalanceTest {

    private static double imbalanceAfter(double rate) {
        MixtureOfExperts moe = new MixtureOfExperts(new Init(MemoryScope.owned("p"), DType.F32, 11), 8, 8, 4, 1, rate);
        // Skew the router: expert 0 scores higher for every input with a positive first feature.
        Tensor w = moe.router().weight();
        w.set(3.0, 0, 0);
        long[] last = null;
        try (var g = GradMode.disabled()) {
            for (int step = 0; step < 60; step++) {
                try (MemoryScope s = MemoryScope.open("step")) {
                    Tensor x = Tensor.randn(DType.F32, step, 1.0, 64, 8);
                    x = Arith.add(x, Tensor.of(new float[] {1.5f, 0, 0, 0, 0, 0, 0, 0}, 8));
                    moe.forward(x);
                }
                last = moe.updateBalance();
            }
        }
        // Load over the final steps, once the bias has settled.
        long[] total = new long[4];
        try (var g = GradMode.disabled()) {
            for (int step = 0; step < 10; step++) {
                try (MemoryScope s = MemoryScope.open("step")) {
                    Tensor x = Tensor.randn(DType.F32, 1000 + step, 1.0, 64, 8);
                    x = Arith.add(x, Tensor.of(new float[] {1.5f, 0, 0, 0, 0, 0, 0, 0}, 8));
                    moe.forward(x);
                }
                long[] l = moe.updateBalance();
                for (int e = 0; e < 4; e++) {
                    total[e] += l[e];
                }
            }
        }
        assertTrue(last != null);
        return MixtureOfExperts.imbalance(total);
    }

    @Test
    void lossFreeBalancingLowersMaxMinLoad() {
        double without = imbalanceAfter(0.0);
        double with = imbalanceAfter(0.05);
        System.out.println("MoE max/min expert load: without balancing " + without + ", with loss-free balancing " + with);
        assertTrue(without > 4.0, "the planted router skew must be visible without balancing: " + without);
        assertTrue(with < 1.6, "loss-free balancing must even out the load: " + with);
        assertTrue(with * 3 < without, Arrays.toString(new double[] {with, without}));
    }
}
