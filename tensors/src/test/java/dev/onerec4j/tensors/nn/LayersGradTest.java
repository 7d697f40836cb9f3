package dev.onerec4j.tensors.nn;

import dev.onerec4j.tensors.DType;
import dev.onerec4j.tensors.MemoryScope;
import dev.onerec4j.tensors.Tensor;
import dev.onerec4j.tensors.testing.GradCheck;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.onerec4j.tensors.testing.GradCheck.input;

/** Finite-difference gradient checks (F64) of every layer, for its input and all its parameters. */
class LayersGradTest {

    private static Init init(long seed) {
        return new Init(MemoryScope.owned("params"), DType.F64, seed);
    }

    private static Tensor[] withParams(Module m, Tensor... inputs) {
        List<Tensor> all = new ArrayList<>(List.of(inputs));
        all.addAll(m.parameters());
        return all.toArray(Tensor[]::new);
    }

    @Test
    void embedding() {
        Embedding e = new Embedding(init(1), 6, 3, 1.0);
        Tensor idx = Tensor.ofInts(new int[] {0, 5, 2, 5, 5, 1}, 2, 3);
        GradCheck.check("embedding", x -> e.forward(idx), withParams(e));
    }

    @Test
    void rmsNorm() {
        RmsNorm n = new RmsNorm(init(2), 5, 1e-6);
        n.weight().copyFrom(Tensor.randn(DType.F64, 3, 1.0, 5));
        GradCheck.check("rmsnorm", x -> n.forward(x[0]), withParams(n, input(4, 3, 5)));
    }

    @Test
    void swiGlu() {
        SwiGluFfn f = new SwiGluFfn(init(3), 4, 6);
        GradCheck.check("swiglu ffn", x -> f.forward(x[0]), withParams(f, input(5, 2, 3, 4)));
    }

    @Test
    void selfAttentionWithGroupedHeadsCausalAndPadding() {
        MultiHeadAttention a = new MultiHeadAttention(init(4), MultiHeadAttention.Kind.SELF, 8, 0, 4, 2);
        Tensor mask = Tensor.ofInts(new int[] {1, 1, 1, 1, 1, 1, 0, 0}, 2, 4);
        GradCheck.check("self attention", x -> a.forward(x[0], mask, true), withParams(a, input(6, 2, 4, 8)));
        GradCheck.check("bidirectional attention", x -> a.forward(x[0], mask, false), withParams(a, input(7, 2, 4, 8)));
    }

    @Test
    void crossAndQueryOnlyAttention() {
        MultiHeadAttention c = new MultiHeadAttention(init(5), MultiHeadAttention.Kind.CROSS, 8, 6, 2, 1);
        Tensor mask = Tensor.ofInts(new int[] {1, 1, 1, 0, 1, 1, 1, 1, 1, 1}, 2, 5);
        GradCheck.check("cross attention", x -> c.forward(x[0], x[1], mask), withParams(c, input(8, 2, 3, 8), input(9, 2, 5, 6)));
        MultiHeadAttention q = new MultiHeadAttention(init(6), MultiHeadAttention.Kind.QUERY_ONLY, 8, 0, 4, 2);
        GradCheck.check("lazy attention", x -> q.attend(x[0], new MultiHeadAttention.KeyValues(x[1], x[2]), null, false),
                withParams(q, input(10, 2, 3, 8), input(11, 2, 2, 5, 2), input(12, 2, 2, 5, 2)));
    }

    @Test
    void mixtureOfExpertsWithPinnedRouting() {
        MixtureOfExperts moe = new MixtureOfExperts(init(7), 4, 6, 3, 2, 0.01);
        // Token t routes to experts (t % 3, (t + 1) % 3): every expert gets tokens.
        int[] routes = new int[12];
        for (int t = 0; t < 6; t++) {
            routes[2 * t] = t % 3;
            routes[2 * t + 1] = (t + 1) % 3;
        }
        moe.pinRouting(Tensor.ofInts(routes, 6, 2));
        GradCheck.check("moe", x -> moe.forward(x[0]), withParams(moe, input(13, 2, 3, 4)));
    }
}
