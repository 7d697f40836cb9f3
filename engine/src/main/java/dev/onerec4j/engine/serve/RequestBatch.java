package dev.onerec4j.engine.serve;

import dev.onerec4j.engine.data.Dataset;
import dev.onerec4j.engine.sample.ContextBatch;
import dev.onerec4j.engine.serve.model.ResolvedRequest;

import java.util.List;

/**
 * A decoded batch of requests as a {@link ListSelector} sees it.
 *
 * @param context   the model inputs (row {@code r} is request {@code r}), as the model read them
 * @param requests  the validated requests, in order
 * @param histories the requests as a small data set: user {@code r} is request {@code r} with its history as sent
 *                  (known items, oldest first, feedback and positive flags as training derived them) and its user
 *                  features; {@code histories.histories().length(r)} is the position recommended for
 */
public record RequestBatch(ContextBatch context, List<ResolvedRequest> requests, Dataset histories) {
}
