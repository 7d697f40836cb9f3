package dev.onerec4j.engine.train;

import dev.onerec4j.engine.UserException;
import dev.onerec4j.engine.sample.ItemVectors;
import dev.onerec4j.engine.tokenizer.SemanticIds;
import dev.onerec4j.tensors.DType;
import dev.onerec4j.tensors.MemoryScope;
import dev.onerec4j.tensors.Tensor;
import dev.onerec4j.tensors.io.Safetensors;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The item tokenization a run uses: every item's semantic ID and an embedding per item (the lifelong pathway
 * clusters histories with it). Kept in the run folder ({@code tokenizer/semantic-ids.safetensors}: an I32
 * {@code [items, levels]} tensor of IDs, an F32 {@code [items, dim]} tensor of item vectors, the codebook sizes
 * in the metadata), so evaluation and serving decode exactly the IDs the model was trained on.
 */
public record RunTokenizer(SemanticIds semanticIds, ItemVectors itemVectors) {

    static final String FILE = "semantic-ids.safetensors";

    /** Item vectors derived from the IDs when the tokenizer supplies none (see {@link ItemVectors#fromSemanticIds}). */
    public static RunTokenizer of(SemanticIds sids) {
        return new RunTokenizer(sids, ItemVectors.fromSemanticIds(sids, 32, 17));
    }

    public void save(Path dir) {
        int items = semanticIds.itemCount();
        int levels = semanticIds.levels();
        try (MemoryScope scope = MemoryScope.open("save tokenizer")) {
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            tensors.put("sids", Tensor.ofInts(semanticIds.allSids(), items, levels));
            float[] v = new float[items * itemVectors.dim()];
            for (int i = 0; i < items; i++) {
                for (int d = 0; d < itemVectors.dim(); d++) {
                    v[i * itemVectors.dim() + d] = itemVectors.get(i, d);
                }
            }
            tensors.put("item_vectors", Tensor.of(v, items, itemVectors.dim()));
            Map<String, String> meta = Map.of("codebook_sizes", Arrays.toString(semanticIds.codebookSizes()));
            Safetensors.write(dir.resolve(FILE), tensors, meta);
        }
    }

    /** Loads the tokenization stored in {@code dir}. */
    public static RunTokenizer load(Path dir) {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            throw new UserException("no tokenizer in " + dir + " (expected " + FILE + ")");
        }
        try (MemoryScope scope = MemoryScope.owned("load tokenizer")) {
            Safetensors.Contents c;
            try {
                c = Safetensors.read(file, scope);
            } catch (RuntimeException e) {
                throw new UserException("tokenizer file " + file + " cannot be read: " + e.getMessage());
            }
            Tensor sids = c.tensors().get("sids");
            Tensor vectors = c.tensors().get("item_vectors");
            String sizes = c.metadata().get("codebook_sizes");
            if (sids == null || vectors == null || sizes == null || sids.dtype() != DType.I32 || sids.rank() != 2) {
                throw new UserException("tokenizer file " + file + " lacks the sids, item_vectors or codebook_sizes entries");
            }
            int[] codebooks = Arrays.stream(sizes.replaceAll("[\\[\\] ]", "").split(",")).mapToInt(Integer::parseInt)
                    .toArray();
            SemanticIds semantic;
            try {
                semantic = new SemanticIds(codebooks, sids.toIntArray());
            } catch (IllegalArgumentException e) {
                throw new UserException("tokenizer file " + file + ": " + e.getMessage());
            }
            return new RunTokenizer(semantic, new ItemVectors(vectors.dim(1), vectors.toFloatArray()));
        }
    }
}
