package dev.onerec4j.engine.cli;

import dev.onerec4j.engine.UserException;
import dev.onerec4j.engine.data.Dataset;
import dev.onerec4j.engine.data.DatasetFormat;
import dev.onerec4j.engine.tokenizer.Progress;
import dev.onerec4j.engine.tokenizer.TokenizerPipeline;
import dev.onerec4j.engine.tokenizer.TokenizerSettings;
import dev.onerec4j.engine.tokenizer.encoder.EncoderSettings;
import dev.onerec4j.engine.tokenizer.features.IdTokens;
import dev.onerec4j.engine.tokenizer.store.TokenizerFolder;
import dev.onerec4j.engine.tokenizer.store.TokenizerWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code tokenize}: items of a data set to semantic IDs, saved as a tokenizer folder. */
@Command(name = "tokenize", description = {
        "Turn every item of a data set into a semantic ID (OneRec tokenizer): collaborative item pairs from the",
        "training part of the data, an aligned item encoder, RQ-Kmeans (or the RQ-VAE baseline), unique IDs.",
        "Writes the tokenizer folder (maps, trie, encoder, codebooks, embeddings, metrics.json, code-usage.png)",
        "and prints the metrics."})
public final class TokenizeCommand implements Runnable {

    @Option(names = "--data", paramLabel = "DIR", description = "The data set (folder or main file).")
    Path data;

    @Option(names = "--format", paramLabel = "FORMAT", description = "ml-1m, ml-100k, amazon, kuairand or csv.")
    String format;

    @Option(names = "--out", paramLabel = "DIR", description = "The tokenizer folder to write.")
    Path out;

    @Option(names = "--method", defaultValue = "rq-kmeans", description = "rq-kmeans or rq-vae (default ${DEFAULT-VALUE}).")
    String method;

    @Option(names = "--levels", defaultValue = "3", description = "Tokens per semantic ID (default ${DEFAULT-VALUE}).")
    int levels;

    @Option(names = "--codebook", paramLabel = "K", defaultValue = "0",
            description = "Codes per level; 0 = sized to the catalogue: smallest K with K^levels >= 16 x items, at most 256.")
    int codebook;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of every random choice (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--balanced", description = "Balanced (capacity-constrained) k-means assignment.")
    boolean balanced;

    @Option(names = "--capacity-factor", defaultValue = "1.0",
            description = "With --balanced: a code takes at most factor x items/K items (default ${DEFAULT-VALUE}).")
    double capacityFactor;

    @Option(names = "--encoder", defaultValue = "pooled", description = "pooled or qformer (default ${DEFAULT-VALUE}).")
    String encoder;

    @Option(names = "--epochs", defaultValue = "3", description = "Encoder epochs over the item pairs (default ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--rq-vae-epochs", defaultValue = "100", description = "RQ-VAE epochs (default ${DEFAULT-VALUE}).")
    int rqVaeEpochs;

    @Option(names = "--id-tokens", defaultValue = "not-unique",
            description = "Learned item-identity tokens: none, missing-content, not-unique (default: items whose "
                    + "content is missing or shared with another item) or all.")
    String idTokens;

    @Option(names = "--compare", description = "Also fit the other method on the same embeddings and show both.")
    boolean compare;

    @Option(names = "--overwrite", description = "Replace --out if it exists.")
    boolean overwrite;

    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;

    @Override
    public void run() {
        long t0 = System.nanoTime();
        TokenizerSettings settings = settings();
        DatasetFormat fmt = DatasetFormat.parse(format);
        TokenizerFolder.checkWritable(out, overwrite);
        Dataset ds = fmt.read(data);
        TokenizerPipeline.Built built;
        try (ConsoleProgress progress = new ConsoleProgress(System.err)) {
            built = TokenizerPipeline.build(ds, settings, compare, quiet ? Progress.NONE : progress);
        }
        TokenizerWriter.write(out, built, overwrite);
        MetricsTable.print(System.out, built.report());
        System.out.printf(java.util.Locale.ROOT, "wrote %s (metrics.json, code-usage.png) in %.1f s%n", out,
                (System.nanoTime() - t0) / 1e9);
    }

    private TokenizerSettings settings() {
        require(data != null, "missing --data DIR (the data set)");
        require(format != null, "missing --format (one of " + DatasetFormat.names() + ")");
        require(out != null, "missing --out DIR (the tokenizer folder to write)");
        require(levels >= 1 && levels <= 8, "--levels must be in 1..8, got " + levels);
        require(codebook == 0 || (codebook >= 2 && codebook <= 65536), "--codebook must be 0 (auto) or in 2..65536, got " + codebook);
        require(epochs >= 0, "--epochs must be >= 0, got " + epochs);
        require(rqVaeEpochs >= 0, "--rq-vae-epochs must be >= 0, got " + rqVaeEpochs);
        require(capacityFactor >= 1, "--capacity-factor must be >= 1, got " + capacityFactor);
        require(method.equals("rq-kmeans") || method.equals("rq-vae"), "unknown --method '" + method
                + "'; expected rq-kmeans or rq-vae");
        EncoderSettings.Kind kind;
        try {
            kind = EncoderSettings.Kind.parse(encoder);
            IdTokens.parse(idTokens);
        } catch (IllegalArgumentException e) {
            throw new UserException(e.getMessage());
        }
        TokenizerSettings s = TokenizerSettings.defaults(seed);
        return s.withMethod(method).withLevels(levels).withCodebookSize(codebook)
                .withKmeans(s.kmeans().withCapacityFactor(balanced ? capacityFactor : 0))
                .withEncoder(s.encoder().withKind(kind).withEpochs(epochs))
                .withRqVae(s.rqVae().withEpochs(rqVaeEpochs))
                .withIdTokens(idTokens);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new UserException(message);
        }
    }
}
