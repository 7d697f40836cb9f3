package dev.onerec4j.engine.model.decoder;

import dev.onerec4j.engine.sample.FeatureSpace;
import dev.onerec4j.tensors.Tensor;
import dev.onerec4j.tensors.nn.Autocast;
import dev.onerec4j.tensors.nn.Embedding;
import dev.onerec4j.tensors.nn.Init;
import dev.onerec4j.tensors.nn.Linear;
import dev.onerec4j.tensors.nn.Module;
import dev.onerec4j.tensors.nn.ModuleList;
import dev.onerec4j.tensors.ops.Linalg;

/**
 * The output layer of each SID level: logits over that level's codebook. Untied heads have their own weights;
 * tied heads score the hidden state against the level's rows of the shared SID token embedding table.
 */
public final class SidHeads extends Module {

    private final ModuleList<Linear> untied;
    private final Embedding tiedTable;
    private final int[] offsets;
    private final int[] sizes;

    public SidHeads(Init init, int dim, FeatureSpace space, Embedding sidTokens, boolean tied) {
        int levels = space.levels();
        this.offsets = new int[levels];
        this.sizes = space.codebookSizes();
        for (int l = 0; l < levels; l++) {
            offsets[l] = space.levelOffset(l);
        }
        if (tied) {
            this.untied = null;
            this.tiedTable = sidTokens;
        } else {
            this.tiedTable = null;
            this.untied = child("levels", new ModuleList<>());
            for (int l = 0; l < levels; l++) {
                untied.add(new Linear(init, dim, sizes[l], false));
            }
        }
    }

    /** Logits {@code [..., codebookSize(level)]} of hidden states {@code [..., dim]}. */
    public Tensor logits(int level, Tensor hidden) {
        if (untied != null) {
            return untied.get(level).forward(hidden);
        }
        Tensor rows = tiedTable.weight().slice(0, offsets[level], offsets[level] + sizes[level]);
        return Linalg.matmul(Autocast.matmulInput(hidden), Autocast.matmulInput(rows).transpose(0, 1));
    }

    public int levels() {
        return sizes.length;
    }

    public int codebookSize(int level) {
        return sizes[level];
    }
}
