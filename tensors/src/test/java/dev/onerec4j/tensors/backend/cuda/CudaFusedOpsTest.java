package dev.onerec4j.tensors.backend.cuda;

import dev.onerec4j.tensors.DType;
import dev.onerec4j.tensors.MemoryScope;
import dev.onerec4j.tensors.Tensor;
import dev.onerec4j.tensors.testing.Allclose;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.onerec4j.tensors.backend.cuda.CudaTestSupport.cuda;
import static dev.onerec4j.tensors.backend.cuda.CudaTestSupport.ints;
import static dev.onerec4j.tensors.backend.cuda.CudaTestSupport.poisoned;
import static dev.onerec4j.tensors.backend.cuda.CudaTestSupport.randn;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** MoE routing/permutation/combination and the trie-constrained beam step against Java references. Needs a GPU. */
class CudaFusedOpsTest {

    @Test
    void moeRoutesPermutesAndCombines() {
        CudaBackend be = CudaTestSupport.backend();
        try (MemoryScope s = MemoryScope.open("moe")) {
            int tokens = 37;
            int experts = 9;
            int k = 2;
            int width = 45;
            Tensor logits = randn(2, tokens, experts);
            Tensor bias = Tensor.rand(DType.F32, 3, -1, 1, experts);
            Tensor ex = CudaTestSupport.empty(DType.I32, tokens, k);
            Tensor w = poisoned(tokens, k);
            be.moeRoute(cuda(logits), cuda(bias), k, ex, w);
            int[] e = ex.toIntArray();
            double[] rw = new double[tokens * k];
            for (int t = 0; t < tokens; t++) {
                double mx = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < experts; j++) {
                    mx = Math.max(mx, logits.get(t, j));
                }
                double z = 0;
                for (int j = 0; j < experts; j++) {
                    z += Math.exp(logits.get(t, j) - mx);
                }
                double[] affinity = new double[experts];
                for (int j = 0; j < experts; j++) {
                    affinity[j] = Math.exp(logits.get(t, j) - mx) / z;
                }
                boolean[] used = new boolean[experts];
                int[] chosen = new int[k];
                double picked = 0;
                for (int sel = 0; sel < k; sel++) {
                    int best = -1;
                    for (int j = 0; j < experts; j++) {
                        if (!used[j] && (best < 0 || affinity[j] + bias.get(j) > affinity[best] + bias.get(best))) {
                            best = j;
                        }
                    }
                    used[best] = true;
                    chosen[sel] = best;
                    picked += affinity[best];
                }
                for (int sel = 0; sel < k; sel++) {
                    assertEquals(chosen[sel], e[t * k + sel], "token " + t);
                    rw[t * k + sel] = affinity[chosen[sel]] / picked;
                }
            }
            Allclose.assertAllclose("gate weights", rw, w, 1e-5, 1e-6);

            Tensor pos = CudaTestSupport.empty(DType.I32, tokens * k);
            Tensor sorted = CudaTestSupport.empty(DType.I32, tokens * k);
            Tensor offsets = CudaTestSupport.empty(DType.I32, experts + 1);
            be.moePermute(ex, experts, pos, sorted, offsets);
            List<Integer> order = new ArrayList<>();
            int[] ro = new int[experts + 1];
            for (int x = 0; x < experts; x++) {
                ro[x] = order.size();
                for (int a = 0; a < tokens * k; a++) {
                    if (e[a] == x) {
                        order.add(a);
                    }
                }
            }
            ro[experts] = order.size();
            int[] rpos = new int[tokens * k];
            int[] rsorted = new int[tokens * k];
            for (int p = 0; p < order.size(); p++) {
                rpos[order.get(p)] = p;
                rsorted[p] = order.get(p) / k;
            }
            assertArrayEquals(ro, offsets.toIntArray());
            assertArrayEquals(rpos, pos.toIntArray());
            assertArrayEquals(rsorted, sorted.toIntArray());

            Tensor expertOut = randn(4, tokens * k, width);
            Tensor y = poisoned(tokens, width);
            be.moeCombine(cuda(expertOut), pos, w, y);
            double[] ry = new double[tokens * width];
            for (int t = 0; t < tokens; t++) {
                for (int sel = 0; sel < k; sel++) {
                    for (int c = 0; c < width; c++) {
                        ry[t * width + c] += rw[t * k + sel] * expertOut.get(rpos[t * k + sel], c);
                    }
                }
            }
            Allclose.assertAllclose("moeCombine", ry, y, 1e-5, 1e-6);
            Tensor gy = randn(5, tokens, width);
            Tensor ge = poisoned(tokens * k, width);
            Tensor gw = poisoned(tokens, k);
            be.moeCombineBackward(cuda(expertOut), pos, w, cuda(gy), ge, gw);
            double[] rge = new double[tokens * k * width];
            double[] rgw = new double[tokens * k];
            for (int a = 0; a < tokens * k; a++) {
                for (int c = 0; c < width; c++) {
                    rge[rpos[a] * width + c] = rw[a] * gy.get(a / k, c);
                    rgw[a] += gy.get(a / k, c) * expertOut.get(rpos[a], c);
                }
            }
            Allclose.assertAllclose("moeCombine gradExpertOut", rge, ge, 1e-5, 1e-6);
            Allclose.assertAllclose("moeCombine gradWeights", rgw, gw, 1e-5, 1e-5);
        }
    }

    @Test
    void beamStepFollowsTheTrie() {
        CudaBackend be = CudaTestSupport.backend();
        try (MemoryScope s = MemoryScope.open("beam")) {
            // Trie: node 0 -> tokens {1, 3, 4} -> nodes 1, 2, 3; node 1 -> {0, 2} -> 4, 5; node 2 -> {2} -> 6.
            int[] childStart = {0, 3, 5, 6, 6, 6, 6, 6};
            int[] childToken = {1, 3, 4, 0, 2, 2};
            int[] childNode = {1, 2, 3, 4, 5, 6};
            int batch = 2;
            int beams = 3;
            int vocab = 5;
            Tensor logp = randn(7, batch, beams, vocab);
            float[] scores = {0f, -1f, Float.NEGATIVE_INFINITY, -0.5f, -0.5f, -2f};
            int[] nodes = {0, 1, 2, 1, 2, -1};
            int width = 4;
            Tensor os = poisoned(batch, width);
            Tensor op = CudaTestSupport.empty(DType.I32, batch, width);
            Tensor ot = CudaTestSupport.empty(DType.I32, batch, width);
            Tensor on = CudaTestSupport.empty(DType.I32, batch, width);
            Tensor sc = cuda(Tensor.of(scores, batch, beams));
            be.beamStep(cuda(logp), sc, ints(nodes, batch, beams), ints(childStart, 8), ints(childToken, 6),
                    ints(childNode, 6), width, os, op, ot, on);
            os = os.to(dev.onerec4j.tensors.Device.CPU);
            op = op.to(dev.onerec4j.tensors.Device.CPU);
            ot = ot.to(dev.onerec4j.tensors.Device.CPU);
            on = on.to(dev.onerec4j.tensors.Device.CPU);
            for (int b = 0; b < batch; b++) {
                List<double[]> cands = new ArrayList<>();
                for (int w = 0; w < beams; w++) {
                    int node = nodes[b * beams + w];
                    float sc0 = scores[b * beams + w];
                    if (node < 0 || sc0 == Float.NEGATIVE_INFINITY) {
                        continue;
                    }
                    for (int e = childStart[node]; e < childStart[node + 1]; e++) {
                        double v = (float) (sc0 + (float) logp.get(b, w, childToken[e]));
                        cands.add(new double[] {v, w, childToken[e], childNode[e]});
                    }
                }
                cands.sort((x, y) -> x[0] != y[0] ? Double.compare(y[0], x[0])
                        : Double.compare(x[1] * vocab + x[2], y[1] * vocab + y[2]));
                for (int q = 0; q < width; q++) {
                    if (q < cands.size()) {
                        assertEquals(cands.get(q)[0], os.get(b, q), 1e-6, "score b" + b + " #" + q);
                        assertEquals((int) cands.get(q)[1], (int) op.get(b, q));
                        assertEquals((int) cands.get(q)[2], (int) ot.get(b, q));
                        assertEquals((int) cands.get(q)[3], (int) on.get(b, q));
                    } else {
                        assertEquals(Double.NEGATIVE_INFINITY, os.get(b, q));
                        assertEquals(-1, (int) op.get(b, q));
                    }
                }
            }
        }
    }
}
