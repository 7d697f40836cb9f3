package dev.onerec4j.engine.train;

import dev.onerec4j.engine.UserException;
import dev.onerec4j.engine.data.Dataset;
import dev.onerec4j.engine.sample.ItemVectors;
import dev.onerec4j.engine.tokenizer.Progress;
import dev.onerec4j.engine.tokenizer.SemanticIds;
import dev.onerec4j.engine.tokenizer.Tokenizer;
import dev.onerec4j.engine.tokenizer.TokenizerPipeline;
import dev.onerec4j.engine.tokenizer.TokenizerSettings;
import dev.onerec4j.engine.tokenizer.store.TokenizerWriter;
import dev.onerec4j.tensors.MemoryScope;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * What the model needs from a tokenizer: every item's semantic ID and an embedding per item (the lifelong
 * pathway clusters histories with it). A run keeps its tokenizer folder in {@code tokenizer/}, so evaluation and
 * serving decode exactly the IDs the model was trained on.
 */
public record RunTokenizer(SemanticIds semanticIds, ItemVectors itemVectors) {

    /** In memory, for IDs that do not come from a tokenizer folder (tests, benchmarks). */
    public static RunTokenizer of(SemanticIds sids) {
        return new RunTokenizer(sids, ItemVectors.fromSemanticIds(sids, 32, 17));
    }

    /** The IDs and item embeddings of the tokenizer folder {@code dir}. */
    public static RunTokenizer load(Path dir) {
        try (Tokenizer tok = Tokenizer.load(dir); MemoryScope scope = MemoryScope.open("load tokenizer")) {
            return new RunTokenizer(tok.semanticIds(), new ItemVectors(tok.embeddingDim(),
                    tok.itemEmbeddings().toFloatArray()));
        }
    }

    /** Tokenizes {@code dataset} with the default settings into the folder {@code out} and loads it. */
    public static RunTokenizer build(Dataset dataset, Path out, long seed, Progress progress) {
        TokenizerPipeline.Built built = TokenizerPipeline.build(dataset, TokenizerSettings.defaults(seed), false,
                progress);
        TokenizerWriter.write(out, built, true);
        return load(out);
    }

    /** Copies the tokenizer folder {@code from} to {@code to} (which must not exist) and loads the copy. */
    public static RunTokenizer copy(Path from, Path to) {
        RunTokenizer loaded = load(from);
        Path tmp = to.resolveSibling(to.getFileName() + ".tmp-" + System.nanoTime());
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = tmp.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
            AtomicFiles.move(tmp, to);
        } catch (IOException e) {
            throw new UserException("cannot copy the tokenizer " + from + " into the run folder: " + e.getMessage());
        } finally {
            AtomicFiles.deleteTree(tmp);
        }
        return loaded;
    }
}
