package dev.onerec4j.engine.serve;

import dev.onerec4j.engine.model.config.Architecture;
import dev.onerec4j.engine.model.config.RunConfig;
import dev.onerec4j.engine.sample.ContextBatch;
import dev.onerec4j.engine.sample.ContextBatchBuilder;
import dev.onerec4j.engine.sample.FeatureSpace;
import dev.onerec4j.engine.sample.SequenceBlock;
import dev.onerec4j.engine.serve.model.RequestContexts;
import dev.onerec4j.engine.serve.model.RequestResolver;
import dev.onerec4j.engine.serve.model.ResolvedRequest;
import dev.onerec4j.engine.serve.model.ServingCatalog;
import dev.onerec4j.engine.train.RunCatalog;
import dev.onerec4j.engine.train.RunTokenizer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * A request that sends a user's history (ids, timestamps, feedback) and features gets exactly the model inputs
 * training built for that user at that position from the data set: every pathway (short-term, positive feedback,
 * lifelong compression), feature vectors, time buckets, masks and user feature codes.
 */
class RequestContextsTest {

    private static final ServingFixture FX = new ServingFixture(3);

    @Test
    void requestContextEqualsTrainingContext() {
        RunConfig c = ServingFixture.config(Architecture.V2, 0);
        FeatureSpace space = FeatureSpace.of(FX.dataset, FX.sids);
        RunTokenizer tok = RunTokenizer.of(FX.sids);
        ServingCatalog catalog = ServingCatalog.of(RunCatalog.of(FX.dataset, false), tok.itemVectors());
        RequestResolver resolver = new RequestResolver(RecommenderOptions.defaults(), 10);
        ContextBatchBuilder training = new ContextBatchBuilder(FX.dataset, space, c.model, tok.itemVectors());
        List<ResolvedRequest> requests = new ArrayList<>();
        int n = 12;
        int[] users = new int[n];
        int[] positions = new int[n];
        for (int i = 0; i < n; i++) {
            // Requests are not indexed like the data set's users: nothing may depend on the user's index.
            int u = 40 + 3 * i;
            users[i] = u;
            // Lengths from 1 to the whole history, so the lifelong pathway is empty for some and full for others.
            int len = FX.dataset.histories().length(u);
            positions[i] = i == 0 ? len : 1 + (i * 7) % len;
            RecommendRequest r = new RecommendRequest(null, FX.userFeatures(u), FX.history(u, positions[i]), 5, 0,
                    List.of(), false);
            requests.add(resolver.resolve(r, catalog, catalog.itemCount()));
        }
        ContextBatch served = new RequestContexts(space, c.model).build(requests, catalog);
        ContextBatch trained = training.build(users, positions);
        assertArrayEquals(trained.userCodes, served.userCodes, "user feature codes");
        same(trained.shortTerm, served.shortTerm, "short-term");
        same(trained.positive, served.positive, "positive feedback");
        same(trained.lifelong, served.lifelong, "lifelong");
    }

    private static void same(SequenceBlock a, SequenceBlock b, String what) {
        if (a == null) {
            assertNull(b, what);
            return;
        }
        assertEquals(a.length, b.length, what);
        assertArrayEquals(a.items, b.items, what + " items");
        assertArrayEquals(a.mask, b.mask, what + " mask");
        assertArrayEquals(a.timeBuckets, b.timeBuckets, what + " time buckets");
        assertArrayEquals(a.features, b.features, what + " features");
    }
}
