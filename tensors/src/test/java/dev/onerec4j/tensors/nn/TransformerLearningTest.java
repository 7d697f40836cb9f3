package dev.onerec4j.tensors.nn;

import dev.onerec4j.tensors.DType;
import dev.onerec4j.tensors.GradMode;
import dev.onerec4j.tensors.MemoryScope;
import dev.onerec4j.tensors.Tensor;
import dev.onerec4j.tensors.ops.Arith;
import dev.onerec4j.tensors.ops.Indexing;
import dev.onerec4j.tensors.ops.Losses;
import dev.onerec4j.tensors.optim.AdamW;
import dev.onerec4j.tensors.optim.GradClip;
import dev.onerec4j.tensors.optim.WarmupCosine;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A 2-layer pre-norm transformer trained with AdamW learns to sort short token sequences: the input is
 * {@code x_1 .. x_n SEP} and the model must emit the sorted sequence after SEP (teacher forcing). Held-out
 * sequences are fresh random draws; the threshold is 99% token accuracy on the output positions.
 */
class TransformerLearningTest {

    private static final int VOCAB = 10;
    private static final int SEP = VOCAB;
    private static final int LEN = 6;
    private static final int T = 2 * LEN + 1;
    private static final int DIM = 64;

    static final class Block extends Module {
        final RmsNorm n1;
        final MultiHeadAttention attn;
        final RmsNorm n2;
        final SwiGluFfn ffn;

        Block(Init init) {
            n1 = child("n1", new RmsNorm(init, DIM, 1e-6));
            attn = child("attn", new MultiHeadAttention(init, MultiHeadAttention.Kind.SELF, DIM, 0, 4, 2));
            n2 = child("n2", new RmsNorm(init, DIM, 1e-6));
            ffn = child("ffn", new SwiGluFfn(init, DIM, 128));
        }

        Tensor forward(Tensor x) {
            x = Arith.add(x, attn.forward(n1.forward(x), null, true));
            return Arith.add(x, ffn.forward(n2.forward(x)));
        }
    }

    static final class Model extends Module {
        final Embedding tokens;
        final Embedding positions;
        final ModuleList<Block> blocks = child("blocks", new ModuleList<>());
        final RmsNorm norm;
        final Linear head;

        Model(Init init) {
            tokens = child("tokens", new Embedding(init, VOCAB + 1, DIM, 0.1));
            positions = child("positions", new Embedding(init, T, DIM, 0.1));
            blocks.add(new Block(init));
            blocks.add(new Block(init));
            norm = child("norm", new RmsNorm(init, DIM, 1e-6));
            head = child("head", new Linear(init, DIM, VOCAB + 1, false));
        }

        Tensor logits(Tensor input, Tensor positionIds) {
            Tensor x = Arith.add(tokens.forward(input), positions.forward(positionIds));
            for (Block b : blocks.items()) {
                x = b.forward(x);
            }
            return head.forward(norm.forward(x));
        }
    }

    /** Inputs (sequence, SEP, sorted prefix) and targets (next token at output positions, -1 elsewhere). */
    private static Tensor[] batch(SplittableRandom r, int size) {
        int[] in = new int[size * T];
        int[] target = new int[size * T];
        Arrays.fill(target, -1);
        for (int b = 0; b < size; b++) {
            int[] seq = new int[LEN];
            for (int i = 0; i < LEN; i++) {
                seq[i] = r.nextInt(VOCAB);
            }
            int[] sorted = seq.clone();
            Arrays.sort(sorted);
            int o = b * T;
            System.arraycopy(seq, 0, in, o, LEN);
            in[o + LEN] = SEP;
            System.arraycopy(sorted, 0, in, o + LEN + 1, LEN);
            for (int i = 0; i < LEN; i++) {
                target[o + LEN + i] = sorted[i];
            }
        }
        return new Tensor[] {Tensor.ofInts(in, size, T), Tensor.ofInts(target, size, T)};
    }

    @Test
    void learnsToSort() {
        MemoryScope params = MemoryScope.owned("model");
        Model model = new Model(new Init(params, DType.F32, 1));
        AdamW opt = new AdamW(model.namedParameters(), 0.9, 0.98, 1e-8, 0.01, java.util.Set.of());
        int steps = 300;
        WarmupCosine lr = new WarmupCosine(4e-3, 30, steps, 0.05);
        int[] pos = new int[T];
        for (int i = 0; i < T; i++) {
            pos[i] = i;
        }
        Tensor positionIds = MemoryScope.within(params, () -> Tensor.ofInts(pos, 1, T));
        SplittableRandom train = new SplittableRandom(7);
        for (int step = 0; step < steps; step++) {
            try (MemoryScope s = MemoryScope.open("step")) {
                Tensor[] b = batch(train, 64);
                Tensor loss = Losses.crossEntropy(model.logits(b[0], positionIds), b[1], -1, 0.0);
                opt.zeroGrad();
                loss.backward();
                GradClip.clipGlobalNorm(model.parameters(), 1.0);
                opt.step(lr.at(step));
            }
        }
        long correct = 0;
        long total = 0;
        SplittableRandom heldOut = new SplittableRandom(12345);
        try (var g = GradMode.disabled(); MemoryScope s = MemoryScope.open("eval")) {
            for (int i = 0; i < 8; i++) {
                Tensor[] b = batch(heldOut, 128);
                int[] predicted = Indexing.argmax(model.logits(b[0], positionIds)).toIntArray();
                int[] target = b[1].toIntArray();
                for (int k = 0; k < target.length; k++) {
                    if (target[k] >= 0) {
                        total++;
                        correct += predicted[k] == target[k] ? 1 : 0;
                    }
                }
            }
        }
        double accuracy = (double) correct / total;
        System.out.println("sort task held-out token accuracy: " + accuracy + " (" + total + " tokens)");
        assertTrue(accuracy >= 0.99, "held-out token accuracy " + accuracy);
    }
}
