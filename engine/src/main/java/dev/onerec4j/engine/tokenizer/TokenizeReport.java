package dev.onerec4j.engine.tokenizer;

import dev.onerec4j.engine.tokenizer.metrics.CoConsumption;
import dev.onerec4j.engine.tokenizer.metrics.QuantizationReport;

import java.util.Map;

/**
 * What a tokenize run measured; written as {@code metrics.json}.
 *
 * @param dataset         name of the data set
 * @param items           catalogue size
 * @param users           users
 * @param trainingPositives positives in the training part of the split (the only interactions used)
 * @param pairs           collaborative pair counts
 * @param encoder         encoder training summary
 * @param quantization    the chosen method's codes
 * @param coConsumption   first-token sharing of co-consumed pairs ({@code heldOut}: validation/test items of
 *                        each user, never seen by the tokenizer; {@code training}: consecutive training positives)
 * @param comparison      the other method on the same embeddings and codebook sizes, when asked for
 * @param seconds         wall time per stage
 */
public record TokenizeReport(String dataset, int items, int users, int trainingPositives, PairSummary pairs,
                             EncoderSummary encoder, QuantizationReport quantization,
                             Map<String, CoConsumption> coConsumption, QuantizationReport comparison,
                             Map<String, Double> seconds) {

    /**
     * @param userToItem          user-to-item pairs
     * @param itemToItem          item-to-item (Swing) pairs
     * @param sequentialFallbacks user-to-item pairs that used the previous item (no Swing neighbour in the window)
     * @param itemsWithNeighbours items with at least one Swing neighbour
     */
    public record PairSummary(int userToItem, int itemToItem, int sequentialFallbacks, int itemsWithNeighbours) {
    }

    /**
     * @param kind              pooled or qformer
     * @param steps             optimiser steps
     * @param lossCurve         mean loss per epoch
     * @param heldOutRecallAt10 share of held-out co-consumed pairs (validation item → test item) whose second item
     *                          is among the 10 nearest of the first (whole catalogue)
     */
    public record EncoderSummary(String kind, int steps, double[] lossCurve, double heldOutRecallAt10) {
    }
}
