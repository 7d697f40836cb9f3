package dev.onerec4j.engine.serve.batch;

import dev.onerec4j.engine.data.Dataset;
import dev.onerec4j.engine.sample.ContextBatch;
import dev.onerec4j.engine.serve.Candidate;
import dev.onerec4j.engine.serve.ListSelector;
import dev.onerec4j.engine.serve.Recommendation;
import dev.onerec4j.engine.serve.RecommendedItem;
import dev.onerec4j.engine.serve.RequestBatch;
import dev.onerec4j.engine.serve.beam.BeamResults;
import dev.onerec4j.engine.serve.beam.ItemFilter;
import dev.onerec4j.engine.serve.beam.SessionDecoder;
import dev.onerec4j.engine.serve.beam.StepDecoder;
import dev.onerec4j.engine.serve.decode.FastDecoder;
import dev.onerec4j.engine.serve.decode.StepScratch;
import dev.onerec4j.engine.serve.beam.TrieBeamSearch;
import dev.onerec4j.engine.serve.model.LoadedRun;
import dev.onerec4j.engine.serve.model.RequestContexts;
import dev.onerec4j.engine.serve.model.ResolvedRequest;
import dev.onerec4j.engine.serve.model.ServingCatalog;
import dev.onerec4j.engine.tokenizer.SidTrie;
import dev.onerec4j.tensors.GradMode;
import dev.onerec4j.tensors.MemoryScope;

import java.util.ArrayList;
import java.util.List;

/**
 * Answers a batch of requests that share a beam width in one pass: the contexts are built and encoded together,
 * every request's beams decode in the same steps (their matrix products share rows), then each request's
 * candidates go through the final-list selector. Everything the pass allocates lives in one memory scope, released
 * at the end. One instance per decoding thread (it keeps the beam search's buffers).
 */
public final class BatchRunner {

    private final TrieBeamSearch search = new TrieBeamSearch();
    private final StepScratch[] scratch = FastDecoder.newScratch();
    private final ListSelector selector;

    public BatchRunner(ListSelector selector) {
        this.selector = selector;
    }

    /** The answers to {@code requests} (all with the same beam width), in order. */
    public List<Recommendation> run(LoadedRun run, List<ResolvedRequest> requests) {
        int b = requests.size();
        int width = requests.get(0).beamWidth();
        for (ResolvedRequest r : requests) {
            if (r.beamWidth() != width) {
                throw new IllegalArgumentException("batch: beam widths " + width + " and " + r.beamWidth() + " mixed");
            }
        }
        ItemFilter[] exclude = new ItemFilter[b];
        int[] k = new int[b];
        for (int i = 0; i < b; i++) {
            exclude[i] = requests.get(i).exclude();
            k[i] = requests.get(i).k();
        }
        // The trie before the catalogue: a cold-start item enters the catalogue first, so every item this trie can
        // decode has an id in this snapshot (and every item the requests were resolved against is in it too).
        SidTrie trie = run.semanticIds().trie();
        ServingCatalog catalog = run.catalog();
        try (var g = GradMode.disabled(); MemoryScope scope = MemoryScope.open("serve batch")) {
            RequestContexts contexts = new RequestContexts(run.info().space(), run.info().config().model);
            Dataset histories = RequestContexts.histories(requests, catalog);
            ContextBatch context = contexts.build(requests, histories, catalog);
            StepDecoder decoder = run.fastWeights() != null
                    ? new FastDecoder(run.fastWeights(), run.model().encodeContext(context), scratch)
                    : new SessionDecoder(run.model().startDecoding(context), run.info().space().codebookSizes());
            BeamResults found = search.search(decoder, trie, width, exclude);
            List<List<Candidate>> candidates = new ArrayList<>(b);
            for (int r = 0; r < b; r++) {
                int keep = Math.min(found.count(r), Math.max(1, selector.candidates(k[r], width)));
                List<Candidate> list = new ArrayList<>(keep);
                for (int i = 0; i < keep; i++) {
                    list.add(new Candidate(found.item(r, i), found.score(r, i), found.sid(r, i), found.score(r, i)));
                }
                candidates.add(list);
            }
            List<List<Candidate>> chosen = selector.select(new RequestBatch(context, requests, histories), candidates, k);
            if (chosen.size() != b) {
                throw new IllegalStateException("selector " + selector.name() + " answered " + chosen.size()
                        + " lists for " + b + " requests");
            }
            List<Recommendation> out = new ArrayList<>(b);
            for (int r = 0; r < b; r++) {
                out.add(answer(requests.get(r), chosen.get(r), catalog, width, run.version()));
            }
            return out;
        }
    }

    private static Recommendation answer(ResolvedRequest request, List<Candidate> chosen, ServingCatalog catalog,
                                         int width, String version) {
        List<RecommendedItem> items = new ArrayList<>(chosen.size());
        org.eclipse.collections.impl.set.mutable.primitive.IntHashSet seen =
                new org.eclipse.collections.impl.set.mutable.primitive.IntHashSet();
        for (Candidate c : chosen) {
            // Trie leaves are distinct items, so this only guards against a selector that repeats one.
            if (items.size() < request.k() && seen.add(c.item())) {
                items.add(new RecommendedItem(catalog.id(c.item()), c.score(), c.sid(), catalog.title(c.item())));
            }
        }
        return new Recommendation(items, request.unknownItems(), request.unknownValues(), width, version);
    }
}
