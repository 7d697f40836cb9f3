package dev.onerec4j.engine.tokenizer.store;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.onerec4j.engine.tokenizer.TokenizerSettings;
import dev.onerec4j.engine.tokenizer.encoder.EncoderSettings;
import dev.onerec4j.engine.tokenizer.features.InputVocabulary;
import dev.onerec4j.engine.tokenizer.features.NumericBuckets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code manifest.json} of a tokenizer folder: what the folder holds and how it was made.
 *
 * @param format        always {@value #FORMAT}
 * @param version       layout version ({@value #VERSION})
 * @param dataset       name of the data set it was fitted on
 * @param baseItems     items coded at tokenization (cold-start additions come after them)
 * @param method        rq-kmeans or rq-vae
 * @param codebookSizes codes per level (the number of levels is its length)
 * @param embeddingDim  width of the item embeddings
 * @param latentDim     width of the codebooks (= embeddingDim for rq-kmeans)
 * @param rqVaeHidden   the RQ-VAE's hidden width (0 for rq-kmeans)
 * @param encoder       the item encoder's settings (its shape)
 * @param vocabulary    the encoder's input vocabulary
 * @param settings      every setting of the run
 */
public record Manifest(String format, int version, String dataset, int baseItems, String method, int[] codebookSizes,
                       int embeddingDim, int latentDim, int rqVaeHidden, EncoderSettings encoder,
                       VocabularyJson vocabulary, TokenizerSettings settings) {

    public static final String FORMAT = "onerec4j-tokenizer";
    public static final int VERSION = 1;
    public static final String FILE = "manifest.json";
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** The input vocabulary as JSON: tokens in id order, numeric bucket edges, the per-item token cap. */
    public record VocabularyJson(List<String> tokens, List<NumericBuckets> numeric, int maxTokens) {

        public static VocabularyJson of(InputVocabulary v) {
            return new VocabularyJson(v.tokens(), v.numeric(), v.maxTokens());
        }

        public InputVocabulary toVocabulary() {
            return new InputVocabulary(tokens, numeric, maxTokens);
        }
    }

    public int levels() {
        return codebookSizes.length;
    }

    public void write(Path file) {
        try {
            JSON.writeValue(file.toFile(), this);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(file + ": cannot write the manifest (" + e.getMessage() + ")", e);
        }
    }

    /** Reads and checks a manifest; problems are reported with the file name. */
    public static Manifest read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + ": missing (not a tokenizer folder)");
        }
        Manifest m;
        try {
            m = JSON.readValue(file.toFile(), Manifest.class);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": not a valid tokenizer manifest (" + firstLine(e.getMessage()) + ")", e);
        }
        if (!FORMAT.equals(m.format()) || m.version() != VERSION) {
            throw new IllegalArgumentException(file + ": expected format " + FORMAT + " version " + VERSION + ", found "
                    + m.format() + " version " + m.version());
        }
        if (m.codebookSizes() == null || m.codebookSizes().length == 0 || m.vocabulary() == null
                || m.encoder() == null || m.embeddingDim() <= 0 || m.latentDim() <= 0 || m.baseItems() < 0) {
            throw new IllegalArgumentException(file + ": incomplete manifest (codebook sizes, vocabulary, encoder and "
                    + "dimensions are required)");
        }
        return m;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** The JSON mapper used for tokenizer files (also for {@code metrics.json}). */
    public static ObjectMapper json() {
        return JSON;
    }
}
