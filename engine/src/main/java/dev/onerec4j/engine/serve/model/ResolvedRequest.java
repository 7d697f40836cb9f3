package dev.onerec4j.engine.serve.model;

import dev.onerec4j.engine.serve.beam.ItemFilter;

import java.util.List;

/**
 * A validated request in the model's terms: item indices instead of ids, feature codes instead of values.
 *
 * @param user          the user's index (-1 when the model does not embed users)
 * @param userCodes     the code of each categorical user feature (0 = missing), in the catalogue's feature order
 * @param items         history item indices, oldest first
 * @param timestamps    their times (unix seconds, or positions when the request gave none)
 * @param signals       per recorded signal (in {@link dev.onerec4j.engine.data.Signal} order of the catalogue's
 *                      signals), the history's values; NaN = not given
 * @param exclude       items not to return
 * @param k             list length
 * @param beamWidth     beams
 * @param unknownItems  history ids the model does not know
 * @param unknownValues user feature values never seen in training ({@code name=value})
 */
public record ResolvedRequest(int user, int[] userCodes, int[] items, long[] timestamps, float[][] signals,
                              ItemFilter exclude, int k, int beamWidth, List<String> unknownItems,
                              List<String> unknownValues) {
}
