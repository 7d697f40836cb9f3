package dev.onerec4j.tensors.ops;

import dev.onerec4j.tensors.DType;
import dev.onerec4j.tensors.Tensor;
import dev.onerec4j.tensors.testing.GradCheck;
import org.junit.jupiter.api.Test;

import static dev.onerec4j.tensors.testing.Allclose.assertAllclose;
import static dev.onerec4j.tensors.testing.GradCheck.input;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Forward semantics, gradient checks (F64) and index validation of the indexing ops. */
class IndexingOpsTest {

    @Test
    void concatSplitAndStack() {
        Tensor a = Tensor.of(new double[] {1, 2, 3, 4}, 2, 2);
        Tensor b = Tensor.of(new double[] {5, 6}, 2, 1);
        assertArrayEquals(new double[] {1, 2, 5, 3, 4, 6}, Indexing.concat(1, a, b).toDoubleArray());
        assertArrayEquals(new double[] {1, 2, 3, 4, 1, 2, 3, 4}, Indexing.concat(0, a, a).toDoubleArray());
        Tensor[] parts = Indexing.split(Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 3, 2), 0, 1, 2);
        assertArrayEquals(new int[] {2, 2}, parts[1].shape());
        assertArrayEquals(new double[] {3, 4, 5, 6}, parts[1].toDoubleArray());
        Tensor s = Indexing.stack(1, a, a);
        assertArrayEquals(new int[] {2, 2, 2}, s.shape());
        assertArrayEquals(new double[] {1, 2, 1, 2, 3, 4, 3, 4}, s.toDoubleArray());

        GradCheck.check("concat axis 0", x -> Indexing.concat(0, x[0], x[1]), input(1, 2, 3), input(2, 4, 3));
        GradCheck.check("concat middle axis", x -> Indexing.concat(1, x[0], x[1], x[0]), input(3, 2, 1, 3),
                input(4, 2, 4, 3));
        GradCheck.check("split middle axis", x -> {
            Tensor[] p = Indexing.split(x[0], 1, 2, 1, 3);
            return Arith.add(Arith.mul(p[0], p[0]), Arith.scale(p[2].slice(1, 0, 2), 3.0));
        }, input(5, 2, 6, 2));
        GradCheck.check("stack axis 0", x -> Indexing.stack(0, x[0], x[1]), input(6, 3, 2), input(7, 3, 2));
        GradCheck.check("stack last axis", x -> Indexing.stack(-1, x[0], x[1]), input(8, 3, 2), input(9, 3, 2));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Indexing.concat(0, a, Tensor.zeros(DType.F64, 2, 3)));
        assertTrue(e.getMessage().contains("concat") && e.getMessage().contains("[2, 3]")
                && e.getMessage().contains("[2, 2]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Indexing.split(a, 0, 1, 2));
        assertThrows(IllegalArgumentException.class, () -> Indexing.stack(0, a, b));
    }

    @Test
    void gatherFollowsTorchSemanticsOnEveryAxis() {
        Tensor t = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
        // axis 1: out[i][j] = t[i][index[i][j]]
        Tensor idx1 = Tensor.ofInts(new int[] {2, 0, 1, 1}, 2, 2);
        assertArrayEquals(new double[] {3, 1, 5, 5}, Indexing.gather(t, 1, idx1).toDoubleArray());
        // axis 0: out[i][j] = t[index[i][j]][j]; the index may be narrower than t on the other axis.
        Tensor idx0 = Tensor.ofInts(new int[] {1, 0, 1, 1}, 2, 2);
        assertArrayEquals(new double[] {4, 2, 4, 5}, Indexing.gather(t, 0, idx0).toDoubleArray());

        Tensor idx3 = Tensor.ofInts(new int[] {0, 2, 2, 1, 0, 0, 1, 2, 0, 1, 1, 1}, 2, 2, 3);
        GradCheck.check("gather last axis, repeated indices", x -> Indexing.gather(x[0], -1, idx3), input(10, 2, 2, 3));
        Tensor idxMid = Tensor.ofInts(new int[] {0, 2, 1, 2, 2, 0, 0, 1}, 2, 2, 2);
        GradCheck.check("gather middle axis, smaller index", x -> Indexing.gather(x[0], 1, idxMid), input(11, 2, 3, 4));
        Tensor idxFirst = Tensor.ofInts(new int[] {1, 1, 0, 2, 0, 2}, 3, 2);
        GradCheck.check("gather axis 0", x -> Indexing.gather(x[0], 0, idxFirst), input(12, 3, 2));

        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
                () -> Indexing.gather(t, 1, Tensor.ofInts(new int[] {0, 3}, 2, 1)));
        assertTrue(e.getMessage().startsWith("gather") && e.getMessage().contains("index 3")
                && e.getMessage().contains("[2, 3]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Indexing.gather(t, 1, Tensor.ofInts(new int[] {0, 1}, 2)));
        assertThrows(IllegalArgumentException.class, () -> Indexing.gather(t, 1, Tensor.ofInts(new int[] {0, 0, 0}, 3, 1)));
    }

    @Test
    void indexSelectOnAnyAxis() {
        Tensor t = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor idx = Tensor.ofInts(new int[] {2, 2, 0}, 3);
        assertArrayEquals(new double[] {3, 3, 1, 6, 6, 4}, Indexing.indexSelect(t, 1, idx).toDoubleArray());
        assertArrayEquals(new double[] {4, 5, 6, 1, 2, 3}, Indexing.indexSelect(t, 0, Tensor.ofInts(new int[] {1, 0}, 2))
                .toDoubleArray());
        GradCheck.check("indexSelect axis 0", x -> Indexing.indexSelect(x[0], 0, Tensor.ofInts(new int[] {3, 0, 3}, 3)),
                input(20, 4, 3));
        GradCheck.check("indexSelect middle axis", x -> Indexing.indexSelect(x[0], 1, idx), input(21, 2, 3, 2));
        assertThrows(IndexOutOfBoundsException.class, () -> Indexing.indexSelect(t, 0, Tensor.ofInts(new int[] {2}, 1)));
    }

    @Test
    void embeddingAccumulatesRepeatedRowsSparselyIntoALeaf() {
        Tensor indices = Tensor.ofInts(new int[] {3, 1, 3, 0, 3, 1}, 2, 3);
        Tensor weight = input(30, 5, 4);
        GradCheck.check("embedding (leaf, sparse rows)", x -> Indexing.embedding(x[0], indices), weight);
        // Row 2 and 4 are never used: their gradient stays zero; row 3 gets three contributions.
        Tensor w = Tensor.randn(DType.F64, 31, 1.0, 5, 4).requiresGrad(true);
        Tensor out = Indexing.embedding(w, indices);
        assertArrayEquals(new int[] {2, 3, 4}, out.shape());
        Reduce.sum(out).backward();
        double[] g = w.grad().toDoubleArray();
        for (int c = 0; c < 4; c++) {
            assertEquals(1.0, g[c]);
            assertEquals(2.0, g[4 + c]);
            assertEquals(0.0, g[8 + c]);
            assertEquals(3.0, g[12 + c]);
            assertEquals(0.0, g[16 + c]);
        }
        // A weight that is itself computed gets a dense gradient through indexAdd.
        GradCheck.check("embedding (non-leaf, dense)", x -> Indexing.embedding(Arith.scale(x[0], 2.0), indices),
                input(32, 5, 4));
        // Tied use: the same leaf in an embedding and a matmul sums both contributions.
        GradCheck.check("embedding tied with matmul", x -> Arith.add(
                Reduce.sum(Indexing.embedding(x[0], indices), new int[] {0, 1}, false),
                Reduce.sum(Linalg.matmul(x[0].transpose(0, 1), x[0]), 0, false)), input(33, 5, 4));

        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
                () -> Indexing.embedding(w, Tensor.ofInts(new int[] {0, 5}, 2)));
        assertTrue(e.getMessage().startsWith("embedding") && e.getMessage().contains("index 5"), e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> Indexing.embedding(w, Tensor.ofInts(new int[] {-1}, 1)));
        assertThrows(IllegalArgumentException.class, () -> Indexing.embedding(w, Tensor.of(new double[] {0}, 1)));
    }

    @Test
    void topKAndArgmax() {
        Tensor x = Tensor.of(new double[] {0.5, 2, 2, -1, 7, 7, 7, 1}, 2, 4);
        Indexing.TopK top = Indexing.topK(x, 2);
        assertArrayEquals(new double[] {2, 2, 7, 7}, top.values().toDoubleArray());
        assertArrayEquals(new int[] {1, 2, 0, 1}, top.indices().toIntArray());
        assertArrayEquals(new int[] {1, 0}, Indexing.argmax(x).toIntArray());
        assertArrayEquals(new int[] {2}, Indexing.argmax(x).shape());
        assertEquals(2, Indexing.argmax(Tensor.of(new double[] {1, 0, 9, 9}, 4)).item());
        GradCheck.check("topK values", x0 -> Indexing.topK(x0[0], 3).values(), input(40, 3, 6));
        GradCheck.check("topK of a middle-axis view", x0 -> Indexing.topK(x0[0].transpose(1, 2), 2).values(),
                input(41, 2, 5, 3));
        assertNull(Indexing.topK(Tensor.randn(DType.F64, 1, 1.0, 3), 1).values().gradFn());
        assertThrows(IllegalArgumentException.class, () -> Indexing.topK(x, 5));
        assertThrows(IllegalArgumentException.class, () -> Indexing.argmax(Tensor.zeros(DType.F64, 2, 0)));
    }

    @Test
    void f32IndexingMatchesF64() {
        Tensor t64 = Tensor.randn(DType.F64, 50, 1.0, 6, 70);
        Tensor t32 = t64.to(DType.F32);
        Tensor idx = Tensor.ofInts(new int[] {5, 0, 5, 2}, 4);
        assertAllclose("indexSelect F32", Indexing.indexSelect(t64, 0, idx), Indexing.indexSelect(t32, 0, idx)
                .to(DType.F64), 1e-6, 0);
        assertAllclose("embedding F32", Indexing.embedding(t64, idx), Indexing.embedding(t32, idx).to(DType.F64), 1e-6, 0);
        assertArrayEquals(Indexing.topK(t64, 9).indices().toIntArray(), Indexing.topK(t32, 9).indices().toIntArray());
    }
}
