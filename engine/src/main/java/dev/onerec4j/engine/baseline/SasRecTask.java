package dev.onerec4j.engine.baseline;

import dev.onerec4j.engine.data.Histories;
import dev.onerec4j.engine.data.split.LeaveOneOutSplit;
import dev.onerec4j.engine.eval.Ranker;
import dev.onerec4j.engine.model.DropoutStream;
import dev.onerec4j.engine.train.TrainingTask;
import dev.onerec4j.tensors.Tensor;
import dev.onerec4j.tensors.nn.Module;
import dev.onerec4j.tensors.ops.Losses;

import org.eclipse.collections.impl.list.mutable.primitive.IntArrayList;

/**
 * Trains SASRec on each user's training sequence (the positions before the validation target): the input is the
 * sequence without its last item, the target at every position the next item (the last {@code maxLength}
 * positions), with full-catalogue softmax cross-entropy.
 */
public final class SasRecTask implements TrainingTask {

    private final SasRecModel model;
    private final Histories histories;
    private final LeaveOneOutSplit split;
    private final int[] users;
    private final double meanTargets;

    public SasRecTask(SasRecModel model, LeaveOneOutSplit split) {
        this.model = model;
        this.split = split;
        this.histories = split.histories();
        IntArrayList list = new IntArrayList();
        long targets = 0;
        for (int u = 0; u < histories.numUsers(); u++) {
            int n = split.trainEnd(u);
            if (n >= 2) {
                list.add(u);
                targets += Math.min(n - 1, model.config().maxLength);
            }
        }
        this.users = list.toArray();
        this.meanTargets = users.length == 0 ? 0 : (double) targets / users.length;
    }

    @Override
    public Module model() {
        return model;
    }

    @Override
    public int exampleCount() {
        return users.length;
    }

    @Override
    public Tensor loss(int[] examples, DropoutStream drop) {
        int len = model.config().maxLength;
        int b = examples.length;
        int[] inputs = new int[b * len];
        int[] targets = new int[b * len];
        java.util.Arrays.fill(inputs, -1);
        java.util.Arrays.fill(targets, -1);
        for (int i = 0; i < b; i++) {
            int u = users[examples[i]];
            int n = split.trainEnd(u);
            int start = histories.start(u);
            // Inputs: items [n-1-len, n-1), targets: the following item, right-aligned.
            int count = Math.min(n - 1, len);
            for (int k = 0; k < count; k++) {
                int pos = n - 1 - count + k;
                inputs[i * len + len - count + k] = histories.item(start + pos);
                targets[i * len + len - count + k] = histories.item(start + pos + 1);
            }
        }
        Tensor scores = model.scores(model.hidden(inputs, b, drop));
        return Losses.crossEntropy(scores, Tensor.ofInts(targets, b, len), -1, 0.0);
    }

    @Override
    public double dropout() {
        return model.config().dropout;
    }

    @Override
    public double tokensPerExample() {
        return meanTargets;
    }

    @Override
    public long trainingFlopsPerExample() {
        return 3 * model.forwardFlops();
    }

    @Override
    public Ranker ranker() {
        return new SasRecRanker(model, histories);
    }
}
