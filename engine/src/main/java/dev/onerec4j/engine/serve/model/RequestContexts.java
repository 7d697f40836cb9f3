package dev.onerec4j.engine.serve.model;

import dev.onerec4j.engine.data.Dataset;
import dev.onerec4j.engine.data.DatasetParts;
import dev.onerec4j.engine.data.Signal;
import dev.onerec4j.engine.data.UserTable;
import dev.onerec4j.engine.model.config.ModelConfig;
import dev.onerec4j.engine.sample.ContextBatch;
import dev.onerec4j.engine.sample.ContextBatchBuilder;
import dev.onerec4j.engine.sample.FeatureSpace;

import java.util.EnumMap;
import java.util.List;

/**
 * The model inputs of a batch of requests. The requests become a small data set (one user per request, its
 * history as sent, the training catalogue, signals and positive rule), and the model's own
 * {@link ContextBatchBuilder} builds the inputs for the position after each history: serving reads exactly the
 * features, pathways, time buckets and lifelong compression that training read.
 */
public final class RequestContexts {

    private final FeatureSpace space;
    private final ModelConfig config;

    public RequestContexts(FeatureSpace space, ModelConfig config) {
        this.space = space;
        this.config = config;
    }

    /** The model inputs of {@code requests}. */
    public ContextBatch build(List<ResolvedRequest> requests, ServingCatalog catalog) {
        return build(requests, histories(requests, catalog), catalog);
    }

    /** The model inputs of {@code requests}, whose {@link #histories} are {@code histories}. */
    public ContextBatch build(List<ResolvedRequest> requests, Dataset histories, ServingCatalog catalog) {
        int b = requests.size();
        int[] users = new int[b];
        int[] positions = new int[b];
        for (int i = 0; i < b; i++) {
            users[i] = i;
            positions[i] = requests.get(i).items().length;
        }
        ContextBatch batch = new ContextBatchBuilder(histories, space, config, catalog.vectors()).build(users, positions);
        for (int i = 0; i < b; i++) {
            // The user-id embedding (when the model has one) reads the user's index in the training data.
            batch.users[i] = Math.max(0, requests.get(i).user());
        }
        return batch;
    }

    /**
     * The requests as a small data set: user {@code r} is request {@code r}, its history as sent, over the
     * catalogue's items, signals and positive rule; the position after the history is the one to recommend for.
     */
    public static Dataset histories(List<ResolvedRequest> requests, ServingCatalog catalog) {
        int b = requests.size();
        int rows = 0;
        for (ResolvedRequest r : requests) {
            rows += r.items().length;
        }
        int[] offsets = new int[b + 1];
        int[] items = new int[rows];
        long[] times = new long[rows];
        Signal[] order = catalog.signals().toArray(new Signal[0]);
        EnumMap<Signal, float[]> signals = DatasetParts.signalColumns();
        for (Signal s : order) {
            signals.put(s, new float[rows]);
        }
        String[] ids = new String[b];
        int nf = catalog.userFeatures().size();
        int[][] codes = new int[nf][b];
        int row = 0;
        for (int i = 0; i < b; i++) {
            ResolvedRequest r = requests.get(i);
            ids[i] = "request-" + i;
            int n = r.items().length;
            System.arraycopy(r.items(), 0, items, row, n);
            System.arraycopy(r.timestamps(), 0, times, row, n);
            for (int s = 0; s < order.length; s++) {
                System.arraycopy(r.signals()[s], 0, signals.get(order[s]), row, n);
            }
            for (int f = 0; f < nf; f++) {
                codes[f][i] = r.userCodes()[f];
            }
            row += n;
            offsets[i + 1] = row;
        }
        UserTable userTable = DatasetParts.users(ids, catalog.userFeatures(), codes);
        return DatasetParts.dataset("requests", catalog.items(), userTable, catalog.positiveRule(), offsets,
                items, times, signals);
    }
}
