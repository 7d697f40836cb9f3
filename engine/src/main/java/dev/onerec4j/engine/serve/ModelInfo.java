package dev.onerec4j.engine.serve;

import java.nio.file.Path;

/**
 * The model a recommender serves.
 *
 * @param version          label of this load (changes on every reload)
 * @param folder           the run folder
 * @param weights          the weights file
 * @param architecture     v1 or v2
 * @param parameters       parameter count
 * @param items            items it can recommend (cold-start items included)
 * @param levels           tokens per semantic ID
 * @param codebookSizes    tokens per level
 * @param defaultBeamWidth the beam width used when a request gives none
 * @param tokenizer        the tokenizer folder whose frozen encoder and codebooks give cold-start items their IDs
 */
public record ModelInfo(String version, Path folder, Path weights, String architecture, long parameters, int items,
                        int levels, int[] codebookSizes, int defaultBeamWidth, Path tokenizer) {
}
