package dev.onerec4j.engine.tokenizer.metrics;

import java.util.List;

/**
 * How one quantiser coded a catalogue.
 *
 * @param method         rq-kmeans or rq-vae
 * @param codebookSizes  codes per level
 * @param levels         per-level metrics of the final (unique) IDs
 * @param collidingItems items whose greedy ID was shared with another item, before the collision rule
 * @param collisionRate  {@code collidingItems / items}
 * @param reassigned     items the rule moved to another ID
 * @param keptPrefix     {@code keptPrefix[d]}: moved items that kept a prefix of {@code d} tokens
 * @param seconds        time to fit and code
 */
public record QuantizationReport(String method, int[] codebookSizes, List<LevelMetrics> levels, int collidingItems,
                                 double collisionRate, int reassigned, int[] keptPrefix, double seconds) {
}
