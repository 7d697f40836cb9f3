package dev.onerec4j.engine.tokenizer.store;

import dev.onerec4j.engine.tokenizer.SidPacking;
import dev.onerec4j.engine.tokenizer.SidTrie;
import dev.onerec4j.engine.tokenizer.TokenizerPipeline;
import dev.onerec4j.engine.tokenizer.metrics.CodeUsageChart;
import dev.onerec4j.engine.tokenizer.quant.RqVaeQuantizer;
import dev.onerec4j.tensors.Tensor;
import dev.onerec4j.tensors.io.Safetensors;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Saves a {@link TokenizerPipeline.Built} as a tokenizer folder (atomically: see {@link TokenizerFolder}):
 * {@code manifest.json}, {@code encoder.safetensors}, {@code quantizer.safetensors} (codebooks, and the RQ-VAE's
 * networks), {@code item-embeddings.safetensors}, the Chronicle Maps of {@link SidMaps}, {@code metrics.json}
 * and {@code code-usage.png}.
 */
public final class TokenizerWriter {

    private TokenizerWriter() {
    }

    public static void write(Path out, TokenizerPipeline.Built b, boolean overwrite) {
        TokenizerFolder.writeAtomically(out, overwrite, dir -> writeInto(dir, b));
    }

    private static void writeInto(Path dir, TokenizerPipeline.Built b) {
        int n = b.items();
        int dim = b.encoder().outDim();
        int[] sizes = b.quantizer().codebooks().sizes();
        int latent = b.quantizer().codebooks().dim();
        int hidden = b.quantizer() instanceof RqVaeQuantizer v ? v.hidden() : 0;
        Manifest m = new Manifest(Manifest.FORMAT, Manifest.VERSION, b.dataset(), n, b.quantizer().method(), sizes,
                dim, latent, hidden, b.settings().encoder(), Manifest.VocabularyJson.of(b.vocabulary()), b.settings());
        Safetensors.write(dir.resolve(TokenizerFolder.ENCODER), b.encoder().stateTensors(),
                Map.of("onerec4j.kind", "item-encoder"));
        Safetensors.write(dir.resolve(TokenizerFolder.QUANTIZER), b.quantizer().stateTensors(),
                Map.of("onerec4j.method", b.quantizer().method()));
        Safetensors.write(dir.resolve(TokenizerFolder.ITEM_EMBEDDINGS), Map.of("embeddings", Tensor.of(b.embeddings(), n, dim)),
                Map.of("onerec4j.kind", "item-embeddings"));
        int[] items = new int[n];
        for (int i = 0; i < n; i++) {
            items[i] = i;
        }
        SidPacking packing = new SidPacking(sizes);
        try (SidMaps maps = SidMaps.create(dir, packing, b.ids(), b.sids(), SidTrie.build(sizes.length, b.sids(), items), dim)) {
            maps.triePrefixes();
        }
        try {
            Manifest.json().writeValue(dir.resolve(TokenizerFolder.METRICS).toFile(), b.report());
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": cannot write " + TokenizerFolder.METRICS, e);
        }
        CodeUsageChart.write(dir.resolve(TokenizerFolder.CODE_USAGE), b.dataset() + ": " + b.quantizer().method()
                + " code usage", b.sids(), n, sizes);
        m.write(dir.resolve(Manifest.FILE));
    }
}
