package dev.onerec4j.engine.serve.model;

import dev.onerec4j.engine.UserException;
import dev.onerec4j.engine.model.ModelFactory;
import dev.onerec4j.engine.model.OneRecModel;
import dev.onerec4j.engine.serve.InvalidRequestException;
import dev.onerec4j.engine.serve.decode.DecoderWeights;
import dev.onerec4j.engine.sample.ItemVectors;
import dev.onerec4j.engine.tokenizer.ItemFeatures;
import dev.onerec4j.engine.tokenizer.SemanticIds;
import dev.onerec4j.engine.tokenizer.SidPacking;
import dev.onerec4j.engine.tokenizer.Tokenizer;
import dev.onerec4j.engine.tokenizer.quant.CollisionResolver;
import dev.onerec4j.engine.tokenizer.quant.SidOccupancy;
import dev.onerec4j.engine.train.RunCatalog;
import dev.onerec4j.engine.train.RunDirectory;
import dev.onerec4j.engine.train.RunInfo;
import dev.onerec4j.engine.train.TrainedRun;
import dev.onerec4j.tensors.MemoryScope;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A trained run loaded for serving, without its data set: configuration ({@code run.json}), weights memory-mapped
 * from {@code best/} (or the latest checkpoint), the items' semantic IDs and trie, the catalogue
 * ({@code catalog.json}) and the items added since training ({@code added-items.jsonl}). The run's tokenizer folder
 * stays open, frozen: its encoder and codebooks give cold-start items their semantic IDs, and it is never
 * written to (added items live in the run's own log, so a reload sees the same tokenizer the model was trained on).
 *
 * <p>Reference counted so that a reload can swap models under load: every batch holds a reference while it
 * decodes; the server's own reference is dropped when a newer model replaces this one, and the weights are
 * unmapped once the last batch finishes.
 */
public final class LoadedRun {

    private final Path folder;
    private final RunInfo info;
    private final Path weights;
    private final OneRecModel model;
    private final SemanticIds sids;
    private final Tokenizer tokenizer;
    private final MemoryScope scope;
    private final AddedItemsLog log;
    private final String version;
    private final DecoderWeights fastWeights;
    private final AtomicInteger references = new AtomicInteger(1);
    private volatile ServingCatalog catalog;

    private LoadedRun(Path folder, RunInfo info, Path weights, OneRecModel model, Tokenizer tokenizer,
                      MemoryScope scope, ServingCatalog catalog, AddedItemsLog log, String version) {
        this.folder = folder;
        this.info = info;
        this.weights = weights;
        this.model = model;
        this.tokenizer = tokenizer;
        this.sids = tokenizer.semanticIds();
        this.scope = scope;
        this.catalog = catalog;
        this.log = log;
        this.version = version;
        this.fastWeights = DecoderWeights.supports(model) ? DecoderWeights.of(model) : null;
    }

    /**
     * Loads run folder {@code dir}.
     *
     * @param version a label of this load (reported with every answer)
     * @throws UserException when the folder is not a servable run (the message says what is missing)
     */
    public static LoadedRun open(Path dir, String version) {
        RunDirectory run = RunDirectory.open(dir);
        RunInfo info = RunInfo.load(run);
        if (!RunInfo.ONEREC.equals(info.modelType())) {
            throw new UserException("run " + dir + " holds a " + info.modelType() + " model; only OneRec runs are served");
        }
        RunCatalog runCatalog = RunCatalog.load(run.catalog());
        Tokenizer tokenizer = Tokenizer.load(run.tokenizer());
        MemoryScope scope = null;
        try {
            SemanticIds sids = tokenizer.semanticIds();
            if (runCatalog.itemIds().size() != info.space().items() || sids.itemCount() != info.space().items()) {
                throw new UserException("run " + dir + " is inconsistent: catalog.json has " + runCatalog.itemIds().size()
                        + " items, the tokenizer " + sids.itemCount() + ", the model " + info.space().items());
            }
            Path weights = TrainedRun.weightsOf(run);
            scope = MemoryScope.owned("served model " + dir);
            OneRecModel model = MappedWeights.load(weights, scope,
                    init -> ModelFactory.create(info.config().model, info.space(), sids, init));
            model.train(false);
            ItemVectors vectors;
            try (MemoryScope tmp = MemoryScope.open("item vectors")) {
                vectors = new ItemVectors(tokenizer.embeddingDim(), tokenizer.itemEmbeddings().toFloatArray());
            }
            ServingCatalog catalog = ServingCatalog.of(runCatalog, vectors);
            AddedItemsLog log = new AddedItemsLog(dir);
            LoadedRun loaded = new LoadedRun(dir, info, weights, model, tokenizer, scope, catalog, log, version);
            for (AddedItemsLog.Entry e : log.read()) {
                loaded.publish(e);
            }
            return loaded;
        } catch (RuntimeException e) {
            if (scope != null) {
                scope.close();
            }
            tokenizer.close();
            throw e;
        }
    }

    /**
     * The semantic ID the frozen tokenizer gives a new item with {@code features}: its encoder's embedding,
     * quantised greedily, or the nearest free ID when that one is taken (by a trained or an added item).
     *
     * @throws InvalidRequestException when none of the features is in the tokenizer's vocabulary
     */
    public synchronized int[] assignSid(ItemFeatures features) {
        float[] embedding;
        try {
            embedding = tokenizer.embed(features);
        } catch (UserException e) {
            throw new InvalidRequestException("features", e.getMessage());
        }
        float[] latent = tokenizer.quantizer().toLatent(embedding, 1);
        SidOccupancy taken = new SidOccupancy(new SidPacking(sids.codebookSizes()));
        int[] all = sids.allSids();
        for (int off = 0; off < all.length; off += sids.levels()) {
            taken.take(all, off);
        }
        return CollisionResolver.place(latent, 0, tokenizer.quantizer().codebooks(), taken);
    }

    /** The run's tokenizer folder. */
    public Path tokenizerFolder() {
        return tokenizer.folder();
    }

    /**
     * Adds a cold-start item with semantic ID {@code sid}: persisted first, then published, so it is decodable and
     * usable in histories as soon as this returns.
     *
     * @return the item's index
     * @throws InvalidRequestException when the id exists or the ID is malformed or taken
     */
    public synchronized int addItem(String id, int[] sid, String title, float duration) {
        ServingCatalog c = catalog;
        if (c.indexOf(id) >= 0) {
            throw InvalidRequestException.conflict("id", "item '" + id + "' already exists");
        }
        if (sid.length != sids.levels()) {
            throw new InvalidRequestException("sid", "must have " + sids.levels() + " tokens, got " + sid.length);
        }
        for (int l = 0; l < sid.length; l++) {
            if (sid[l] < 0 || sid[l] >= sids.codebookSize(l)) {
                throw new InvalidRequestException("sid[" + l + "]", "must be in [0, " + sids.codebookSize(l) + "), got "
                        + sid[l]);
            }
        }
        int owner = sids.item(sid);
        if (owner >= 0) {
            throw InvalidRequestException.conflict("sid", Arrays.toString(sid) + " already belongs to item '"
                    + c.id(owner) + "'");
        }
        AddedItemsLog.Entry e = new AddedItemsLog.Entry(id, sid.clone(), title == null ? "" : title, duration);
        log.append(e);
        return publish(e);
    }

    private int publish(AddedItemsLog.Entry e) {
        ServingCatalog c = catalog;
        float[] vector = ColdStartVectors.forSid(sids.trie(), c.vectors(), e.sid());
        ServingCatalog next = c.withItem(e.id(), e.title(), e.duration(), vector);
        // The catalogue first: a request that sees the new trie can then always name the item it decodes.
        catalog = next;
        int index = sids.add(e.sid());
        if (index != next.itemCount() - 1) {
            throw new IllegalStateException("cold start: item '" + e.id() + "' got semantic-ID index " + index
                    + " but catalogue index " + (next.itemCount() - 1));
        }
        return index;
    }

    /** Takes a reference for one batch; false when this model has already been retired and closed. */
    public boolean tryAcquire() {
        while (true) {
            int c = references.get();
            if (c <= 0) {
                return false;
            }
            if (references.compareAndSet(c, c + 1)) {
                return true;
            }
        }
    }

    /** Drops a reference; the last one unmaps the weights. */
    public void release() {
        int left = references.decrementAndGet();
        if (left == 0) {
            scope.close();
            tokenizer.close();
        } else if (left < 0) {
            throw new IllegalStateException("served model " + version + " released more often than acquired");
        }
    }

    public boolean isClosed() {
        return references.get() <= 0;
    }

    public Path folder() {
        return folder;
    }

    public RunInfo info() {
        return info;
    }

    public Path weights() {
        return weights;
    }

    public OneRecModel model() {
        return model;
    }

    /** The decoder packed for fast decoding, or null when the model is outside its scope (MoE decoders). */
    public DecoderWeights fastWeights() {
        return fastWeights;
    }

    public SemanticIds semanticIds() {
        return sids;
    }

    /** The current catalogue snapshot. */
    public ServingCatalog catalog() {
        return catalog;
    }

    public String version() {
        return version;
    }
}
