package dev.onerec4j.engine.tokenizer;

import dev.onerec4j.engine.data.Dataset;
import dev.onerec4j.engine.tokenizer.encoder.EncoderTrainer;
import dev.onerec4j.engine.tokenizer.encoder.ItemEncoder;
import dev.onerec4j.engine.tokenizer.features.IdTokens;
import dev.onerec4j.engine.tokenizer.features.InputVocabulary;
import dev.onerec4j.engine.tokenizer.metrics.CodebookMetrics;
import dev.onerec4j.engine.tokenizer.metrics.LevelMetrics;
import dev.onerec4j.engine.tokenizer.metrics.QuantizationReport;
import dev.onerec4j.engine.tokenizer.quant.ResidualCodebooks;
import dev.onerec4j.engine.tokenizer.quant.RqKmeansQuantizer;
import dev.onerec4j.engine.tokenizer.store.TokenizerWriter;
import dev.onerec4j.tensors.DType;
import dev.onerec4j.tensors.MemoryScope;
import dev.onerec4j.tensors.nn.Init;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A tokenizer folder for semantic IDs that are given rather than learned (planted IDs of a generated world, random
 * IDs of a benchmark catalogue): the item encoder is randomly initialised and not trained, and each level's
 * codebook is fitted to the given assignment (codeword = mean residual of the items holding that code, the
 * k-means update step), so a new item's features still quantise to a nearby ID. Serving and benchmarks get a
 * complete folder without running the tokenizer pipeline; nothing here claims the IDs are good ones.
 */
public final class AssignedIdsTokenizer {

    private AssignedIdsTokenizer() {
    }

    /**
     * Writes the folder {@code out} for the items of {@code ds} with semantic IDs {@code sids} ({@code [items,
     * levels]} row-major, codes below {@code sizes[level]}).
     */
    public static void write(Path out, Dataset ds, int[] sids, int[] sizes, long seed) {
        int n = ds.numItems();
        int levels = sizes.length;
        if (sids.length != n * levels) {
            throw new IllegalArgumentException("assigned IDs: " + sids.length + " codes for " + n + " items of "
                    + levels + " levels");
        }
        long t0 = System.nanoTime();
        TokenizerSettings s = TokenizerSettings.defaults(seed);
        InputVocabulary.Built inputs = InputVocabulary.build(ds.items(), IdTokens.parse(s.idTokens()),
                s.numericBuckets(), s.maxTokens());
        try (MemoryScope params = MemoryScope.owned("assigned-ids encoder")) {
            ItemEncoder encoder = new ItemEncoder(new Init(params, DType.F32, seed), s.encoder(),
                    inputs.vocabulary().size());
            float[] embeddings = EncoderTrainer.embedAll(encoder, inputs.itemTokens());
            int dim = encoder.outDim();
            RqKmeansQuantizer quantizer = new RqKmeansQuantizer(fitCodebooks(embeddings, n, dim, sids, sizes));
            List<LevelMetrics> metrics = CodebookMetrics.measure(embeddings, n, dim, sids, sizes,
                    l -> quantizer.reconstruct(sids, n, l));
            double seconds = (System.nanoTime() - t0) / 1e9;
            QuantizationReport q = new QuantizationReport(RqKmeansQuantizer.METHOD, sizes.clone(), metrics, 0, 0, 0,
                    new int[levels], seconds);
            String[] ids = new String[n];
            for (int i = 0; i < n; i++) {
                ids[i] = ds.items().externalId(i);
            }
            TokenizeReport report = new TokenizeReport(ds.name(), n, ds.numUsers(), 0,
                    new TokenizeReport.PairSummary(0, 0, 0, 0),
                    new TokenizeReport.EncoderSummary(s.encoder().kind().id(), 0, new double[0], Double.NaN), q,
                    Map.of(), null, Map.of("assign", seconds));
            TokenizerWriter.write(out, new TokenizerPipeline.Built(s, ds.name(), inputs.vocabulary(), encoder,
                    quantizer, embeddings, ids, sids.clone(), report), true);
        }
    }

    /** Level by level: each codeword is the mean residual of its items; unused codes stay at the origin. */
    static ResidualCodebooks fitCodebooks(float[] x, int n, int dim, int[] sids, int[] sizes) {
        int levels = sizes.length;
        float[] residual = x.clone();
        float[][] books = new float[levels][];
        for (int l = 0; l < levels; l++) {
            double[] sum = new double[sizes[l] * dim];
            int[] count = new int[sizes[l]];
            for (int i = 0; i < n; i++) {
                int c = sids[i * levels + l];
                if (c < 0 || c >= sizes[l]) {
                    throw new IllegalArgumentException("assigned IDs: item " + i + " level " + l + " code " + c
                            + " outside [0, " + sizes[l] + ")");
                }
                count[c]++;
                for (int j = 0; j < dim; j++) {
                    sum[c * dim + j] += residual[i * dim + j];
                }
            }
            float[] book = new float[sizes[l] * dim];
            for (int c = 0; c < sizes[l]; c++) {
                for (int j = 0; count[c] > 0 && j < dim; j++) {
                    book[c * dim + j] = (float) (sum[c * dim + j] / count[c]);
                }
            }
            for (int i = 0; i < n; i++) {
                int c = sids[i * levels + l];
                for (int j = 0; j < dim; j++) {
                    residual[i * dim + j] -= book[c * dim + j];
                }
            }
            books[l] = book;
        }
        return new ResidualCodebooks(dim, books);
    }
}
