package dev.onerec4j.engine.tokenizer;

import dev.onerec4j.engine.UserException;
import dev.onerec4j.engine.tokenizer.encoder.EncoderTrainer;
import dev.onerec4j.engine.tokenizer.encoder.ItemEncoder;
import dev.onerec4j.engine.tokenizer.features.InputVocabulary;
import dev.onerec4j.engine.tokenizer.quant.CollisionResolver;
import dev.onerec4j.engine.tokenizer.quant.Quantizer;
import dev.onerec4j.engine.tokenizer.quant.ResidualCodebooks;
import dev.onerec4j.engine.tokenizer.quant.RqKmeansQuantizer;
import dev.onerec4j.engine.tokenizer.quant.RqVaeQuantizer;
import dev.onerec4j.engine.tokenizer.quant.SidOccupancy;
import dev.onerec4j.engine.tokenizer.store.Manifest;
import dev.onerec4j.engine.tokenizer.store.SidMaps;
import dev.onerec4j.engine.tokenizer.store.TokenizerFolder;
import dev.onerec4j.tensors.DType;
import dev.onerec4j.tensors.MemoryScope;
import dev.onerec4j.tensors.Tensor;
import dev.onerec4j.tensors.io.Safetensors;
import dev.onerec4j.tensors.nn.Init;
import org.eclipse.collections.impl.list.mutable.primitive.FloatArrayList;
import org.eclipse.collections.impl.map.mutable.primitive.ObjectIntHashMap;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A tokenizer folder, loaded: every item's semantic ID, the frozen item encoder and quantiser, and the item
 * embeddings; new items can be added (cold start) and become decodable at once.
 *
 * <h2>For the model</h2>
 * <pre>{@code
 * try (Tokenizer tok = Tokenizer.load(Path.of("out/beauty-tokenizer"))) {
 *     SemanticIds ids = tok.semanticIds();      // item index <-> SID, and the trie for constrained decoding
 *     int levels = ids.levels();                // tokens per SID (the model's output heads)
 *     int k0 = ids.codebookSize(0);             // vocabulary of the first token
 *     Tensor emb = tok.itemEmbeddings();        // [items, embeddingDim] F32, unit rows (lifelong pathway)
 *     int item = tok.itemIndex("B004756YJA");   // external id -> the index the data set reader gives it
 * }
 * }</pre>
 * Item indices are those of the data set the folder was built from ({@link dev.onerec4j.engine.data.Dataset}
 * indices; read the same data with the same reader and they agree), followed by cold-start items in the order
 * they were added.
 *
 * <h2>Cold start</h2>
 * {@link #addItem} runs a new item's features through the frozen encoder and quantiser, gives it the nearest free
 * ID (same collision rule as at tokenization), persists it in the folder's maps and publishes it in
 * {@link #semanticIds()} — so it is in the trie as soon as the call returns.
 *
 * <p>Thread-safe: reads never block; additions are serialised. Close it to release the memory-mapped files and
 * the encoder's memory. One process at a time may add items to a folder.
 */
public final class Tokenizer implements AutoCloseable {

    private final Path dir;
    private final Manifest manifest;
    private final InputVocabulary vocabulary;
    private final ItemEncoder encoder;
    private final MemoryScope encoderScope;
    private final Quantizer quantizer;
    private final SemanticIds semanticIds;
    private final SidMaps maps;
    private final SidOccupancy occupancy;
    private final List<String> ids;
    private final ObjectIntHashMap<String> indexById;
    private final FloatArrayList embeddings;
    private final int repairedTrieEntries;

    private Tokenizer(Path dir, Manifest manifest, InputVocabulary vocabulary, ItemEncoder encoder, MemoryScope encoderScope,
                      Quantizer quantizer, SidMaps maps, SidMaps.Items items, float[] baseEmbeddings) {
        this.dir = dir;
        this.manifest = manifest;
        this.vocabulary = vocabulary;
        this.encoder = encoder;
        this.encoderScope = encoderScope;
        this.quantizer = quantizer;
        this.maps = maps;
        int n = items.ids().length;
        this.semanticIds = new SemanticIds(manifest.codebookSizes(), items.sids());
        this.occupancy = new SidOccupancy(new SidPacking(manifest.codebookSizes()));
        for (int i = 0; i < n; i++) {
            occupancy.take(items.sids(), i * manifest.levels());
        }
        this.ids = new ArrayList<>(Arrays.asList(items.ids()));
        this.indexById = new ObjectIntHashMap<>(n * 2);
        for (int i = 0; i < n; i++) {
            indexById.put(ids.get(i), i);
        }
        this.embeddings = new FloatArrayList(baseEmbeddings.length + items.addedEmbeddings().length * manifest.embeddingDim());
        embeddings.addAll(baseEmbeddings);
        for (float[] e : items.addedEmbeddings()) {
            embeddings.addAll(e);
        }
        this.repairedTrieEntries = maps.repairTrie(items.sids(), n);
    }

    /**
     * Loads the tokenizer folder {@code dir} (written by the {@code tokenize} command or
     * {@link dev.onerec4j.engine.tokenizer.store.TokenizerWriter}): the manifest, the encoder and quantiser
     * weights, the item embeddings and the persisted ID maps, including items added after tokenization.
     *
     * @throws UserException when {@code dir} is not a complete, readable tokenizer folder (the message names the
     *                       file and the problem)
     */
    public static Tokenizer load(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new UserException(dir + ": no such tokenizer folder");
        }
        Manifest manifest;
        try {
            manifest = Manifest.read(dir.resolve(Manifest.FILE));
        } catch (IllegalArgumentException e) {
            throw new UserException(e.getMessage(), e);
        }
        MemoryScope scope = MemoryScope.owned("tokenizer");
        SidMaps maps = null;
        try (MemoryScope files = MemoryScope.owned("tokenizer-files")) {
            InputVocabulary vocabulary = manifest.vocabulary().toVocabulary();
            ItemEncoder encoder = new ItemEncoder(new Init(scope, DType.F32, 0), manifest.encoder(), vocabulary.size());
            copyInto(encoder.stateTensors(), read(dir.resolve(TokenizerFolder.ENCODER), files), TokenizerFolder.ENCODER);
            Quantizer quantizer = loadQuantizer(dir, manifest, files, scope);
            Map<String, Tensor> embeddingFile = read(dir.resolve(TokenizerFolder.ITEM_EMBEDDINGS), files);
            Tensor emb = embeddingFile.get("embeddings");
            if (emb == null || emb.rank() != 2 || emb.dim(0) != manifest.baseItems() || emb.dim(1) != manifest.embeddingDim()) {
                throw new IllegalArgumentException(dir.resolve(TokenizerFolder.ITEM_EMBEDDINGS) + ": expected embeddings ["
                        + manifest.baseItems() + ", " + manifest.embeddingDim() + "]");
            }
            float[] base = emb.toFloatArray();
            maps = SidMaps.open(dir, new SidPacking(manifest.codebookSizes()), manifest.embeddingDim());
            SidMaps.Items items = maps.load(manifest.baseItems(), manifest.embeddingDim());
            if (items.ids().length < manifest.baseItems()) {
                throw new IllegalArgumentException(dir + ": the maps hold " + items.ids().length + " items, the manifest "
                        + manifest.baseItems());
            }
            return new Tokenizer(dir, manifest, vocabulary, encoder, scope, quantizer, maps, items, base);
        } catch (RuntimeException e) {
            if (maps != null) {
                maps.close();
            }
            scope.close();
            if (e instanceof UserException) {
                throw e;
            }
            throw new UserException(dir + ": cannot load the tokenizer: " + e.getMessage(), e);
        }
    }

    private static Map<String, Tensor> read(Path file, MemoryScope scope) {
        return Safetensors.read(file, scope).tensors();
    }

    private static void copyInto(Map<String, Tensor> target, Map<String, Tensor> saved, String file) {
        for (Map.Entry<String, Tensor> e : target.entrySet()) {
            Tensor t = saved.get(e.getKey());
            if (t == null || !Arrays.equals(t.shape(), e.getValue().shape())) {
                throw new IllegalArgumentException(file + ": tensor " + e.getKey() + " is missing or not "
                        + Arrays.toString(e.getValue().shape()));
            }
            e.getValue().copyFrom(t);
        }
    }

    private static Quantizer loadQuantizer(Path dir, Manifest m, MemoryScope files, MemoryScope parameters) {
        Map<String, Tensor> tensors = read(dir.resolve(TokenizerFolder.QUANTIZER), files);
        if (m.method().equals(RqKmeansQuantizer.METHOD)) {
            ResidualCodebooks cb = RqKmeansQuantizer.codebooksFrom(tensors, m.levels());
            checkSizes(cb, m);
            return new RqKmeansQuantizer(cb);
        }
        if (m.method().equals(RqVaeQuantizer.METHOD)) {
            RqVaeQuantizer q = RqVaeQuantizer.load(tensors, parameters, m.embeddingDim(), m.rqVaeHidden(), m.latentDim(), m.codebookSizes());
            checkSizes(q.codebooks(), m);
            return q;
        }
        throw new IllegalArgumentException(Manifest.FILE + ": unknown method '" + m.method() + "'");
    }

    private static void checkSizes(ResidualCodebooks cb, Manifest m) {
        if (!Arrays.equals(cb.sizes(), m.codebookSizes()) || cb.dim() != m.latentDim()) {
            throw new IllegalArgumentException(TokenizerFolder.QUANTIZER + ": codebooks " + Arrays.toString(cb.sizes())
                    + " x " + cb.dim() + " do not match the manifest's " + Arrays.toString(m.codebookSizes()) + " x "
                    + m.latentDim());
        }
    }

    /** Every item's semantic ID (dense item indices) and the trie of valid IDs; grows with {@link #addItem}. */
    public SemanticIds semanticIds() {
        return semanticIds;
    }

    /** The manifest: settings, codebook sizes, the data set it was fitted on. */
    public Manifest manifest() {
        return manifest;
    }

    public Path folder() {
        return dir;
    }

    public int levels() {
        return manifest.levels();
    }

    public int[] codebookSizes() {
        return manifest.codebookSizes().clone();
    }

    /** The codebooks (in the quantiser's latent space; for RQ-Kmeans, the embedding space). */
    public ResidualCodebooks codebooks() {
        return quantizer.codebooks();
    }

    /** The quantiser (RQ-Kmeans or RQ-VAE). */
    public Quantizer quantizer() {
        return quantizer;
    }

    /** The frozen item encoder (do not train it further: the codes depend on it). */
    public ItemEncoder encoder() {
        return encoder;
    }

    /** The encoder's input vocabulary (content tokens, numeric buckets, identity tokens). */
    public InputVocabulary inputVocabulary() {
        return vocabulary;
    }

    /** Width of the item embeddings. */
    public int embeddingDim() {
        return manifest.embeddingDim();
    }

    /** Number of items (tokenized plus added). */
    public synchronized int itemCount() {
        return ids.size();
    }

    /** The external id of item {@code item}. */
    public synchronized String externalId(int item) {
        return ids.get(item);
    }

    /** The index of the item with external id {@code id}, or -1. */
    public synchronized int itemIndex(String id) {
        return indexById.getIfAbsent(id, -1);
    }

    /** The unit-length embedding of item {@code item} (a copy). */
    public synchronized float[] itemEmbedding(int item) {
        int d = embeddingDim();
        if (item < 0 || item >= ids.size()) {
            throw new IndexOutOfBoundsException("item " + item + " of " + ids.size());
        }
        float[] out = new float[d];
        for (int j = 0; j < d; j++) {
            out[j] = embeddings.get(item * d + j);
        }
        return out;
    }

    /** All item embeddings as an F32 tensor {@code [itemCount, embeddingDim]} (a snapshot, in the current scope). */
    public synchronized Tensor itemEmbeddings() {
        return Tensor.of(embeddings.toArray(), ids.size(), embeddingDim());
    }

    /** The embedding a new item with {@code features} would get (nothing is added). */
    public float[] embed(ItemFeatures features) {
        return EncoderTrainer.embed(encoder, tokensOf(features));
    }

    private int[] tokensOf(ItemFeatures features) {
        int[] tokens = vocabulary.encode(features);
        if (tokens.length == 0) {
            throw new UserException("item '" + features.id() + "': none of its features is in the tokenizer's vocabulary ("
                    + vocabulary.size() + " tokens from " + manifest.dataset() + "); give a title, categories, brand, "
                    + "genres or tags like the catalogue's");
        }
        return tokens;
    }

    /**
     * Adds a new item: encodes its features with the frozen encoder, quantises the embedding, gives it its
     * greedy semantic ID or, when taken, the nearest free one, persists it in the folder and publishes it in
     * {@link #semanticIds()} (and so in the trie).
     *
     * @return the item's semantic ID; its index is {@code itemCount() - 1}
     * @throws UserException when the id already exists or none of its features is known
     */
    public synchronized int[] addItem(ItemFeatures features) {
        if (indexById.containsKey(features.id())) {
            throw new UserException("item '" + features.id() + "' already has the semantic ID "
                    + Arrays.toString(semanticIds.sid(indexById.get(features.id()))));
        }
        float[] embedding = embed(features);
        float[] latent = quantizer.toLatent(embedding, 1);
        int[] sid = CollisionResolver.place(latent, 0, quantizer.codebooks(), occupancy);
        int item = ids.size();
        maps.add(item, features.id(), sid, embedding);
        int published = semanticIds.add(sid);
        if (published != item) {
            throw new IllegalStateException("tokenizer: item index " + published + " published for " + item);
        }
        ids.add(features.id());
        indexById.put(features.id(), item);
        embeddings.addAll(embedding);
        return sid;
    }

    /** The persisted ID maps and trie (read-only use). */
    public SidMaps maps() {
        return maps;
    }

    /** Trie entries restored at load (after an interrupted addition); normally 0. */
    public int repairedTrieEntries() {
        return repairedTrieEntries;
    }

    @Override
    public synchronized void close() {
        maps.close();
        encoderScope.close();
    }
}
