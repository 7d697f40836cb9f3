package dev.onerec4j.engine.tokenizer;

import dev.onerec4j.engine.UserException;
import dev.onerec4j.engine.data.Dataset;
import dev.onerec4j.engine.data.split.LeaveOneOutSplit;
import dev.onerec4j.engine.tokenizer.encoder.EncoderTrainer;
import dev.onerec4j.engine.tokenizer.encoder.ItemEncoder;
import dev.onerec4j.engine.tokenizer.features.IdTokens;
import dev.onerec4j.engine.tokenizer.features.InputVocabulary;
import dev.onerec4j.engine.tokenizer.metrics.CoConsumption;
import dev.onerec4j.engine.tokenizer.metrics.CodebookMetrics;
import dev.onerec4j.engine.tokenizer.metrics.LevelMetrics;
import dev.onerec4j.engine.tokenizer.metrics.PairRecall;
import dev.onerec4j.engine.tokenizer.metrics.QuantizationReport;
import dev.onerec4j.engine.tokenizer.pairs.CollaborativePairs;
import dev.onerec4j.engine.tokenizer.pairs.ItemPairs;
import dev.onerec4j.engine.tokenizer.pairs.SwingSimilarity;
import dev.onerec4j.engine.tokenizer.pairs.TrainingPositives;
import dev.onerec4j.engine.tokenizer.quant.CollisionResolver;
import dev.onerec4j.engine.tokenizer.quant.Quantizer;
import dev.onerec4j.engine.tokenizer.quant.RqKmeans;
import dev.onerec4j.engine.tokenizer.quant.RqKmeansQuantizer;
import dev.onerec4j.engine.tokenizer.quant.RqVae;
import dev.onerec4j.engine.tokenizer.quant.RqVaeQuantizer;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tokenizer pipeline (OneRec report, section 2.1) on a data set:
 * <ol>
 *   <li>collaborative pairs from the <b>training part</b> of the leave-one-out split only (validation and test
 *       interactions never reach the tokenizer): Swing similarity, user-to-item and item-to-item pairs;</li>
 *   <li>the aligned item encoder trained on them (InfoNCE + caption loss), then every item's embedding;</li>
 *   <li>RQ-Kmeans (or the RQ-VAE baseline) on the embeddings, then the collision rule, so every item gets a
 *       unique semantic ID with a fixed number of tokens;</li>
 *   <li>metrics: reconstruction loss, codebook utilization and token entropy per level, the collision rate, and
 *       how often co-consumed items share their first token.</li>
 * </ol>
 * Nothing is written here; {@link dev.onerec4j.engine.tokenizer.store.TokenizerWriter} saves the result.
 */
public final class TokenizerPipeline {

    private static final int RECALL_PAIRS = 5000;

    private TokenizerPipeline() {
    }

    /** Everything a tokenizer folder holds, plus the run's report. */
    public record Built(TokenizerSettings settings, String dataset, InputVocabulary vocabulary, ItemEncoder encoder,
                        Quantizer quantizer, float[] embeddings, String[] ids, int[] sids, TokenizeReport report) {

        public int items() {
            return ids.length;
        }
    }

    private record Coded(Quantizer quantizer, int[] codes, float[] latent, CollisionResolver.Outcome resolved,
                         QuantizationReport report) {
    }

    /**
     * Runs the pipeline. With {@code compare}, the other quantisation method is also fitted on the same
     * embeddings and codebook sizes and reported in {@link TokenizeReport#comparison()}.
     *
     * @throws UserException when the data set cannot be tokenized with these settings (too few items for the
     *                       codebooks, no training interactions)
     */
    public static Built build(Dataset ds, TokenizerSettings s, boolean compare, Progress progress) {
        int n = ds.numItems();
        int[] sizes = checkSizes(ds, s);
        Map<String, Double> seconds = new LinkedHashMap<>();
        long t0 = System.nanoTime();

        LeaveOneOutSplit split = LeaveOneOutSplit.of(ds.histories());
        TrainingPositives positives = TrainingPositives.of(split, n);
        if (positives.total() == 0) {
            throw new UserException(ds.name() + ": no positive interactions in the training part of the data ("
                    + ds.positiveRule().describe() + "); the tokenizer needs some to learn from");
        }
        progress.stage("pairs", n);
        SwingSimilarity swing = SwingSimilarity.compute(positives, s.pairs(), progress);
        CollaborativePairs.Mined mined = CollaborativePairs.mine(positives, swing, s.pairs());
        int withNeighbours = 0;
        for (int i = 0; i < n; i++) {
            withNeighbours += swing.neighbourCount(i) > 0 ? 1 : 0;
        }
        ItemPairs pairs = mined.pairs();
        long t1 = System.nanoTime();
        seconds.put("pairs", (t1 - t0) / 1e9);

        InputVocabulary.Built inputs = InputVocabulary.build(ds.items(), IdTokens.parse(s.idTokens()),
                s.numericBuckets(), s.maxTokens());
        progress.stage("encoder", EncoderTrainer.steps(s.encoder(), pairs.size()));
        EncoderTrainer.Trained trained = EncoderTrainer.train(inputs.vocabulary().size(), inputs.itemTokens(), pairs,
                s.encoder(), progress);
        float[] embeddings = EncoderTrainer.embedAll(trained.encoder(), inputs.itemTokens());
        int dim = trained.encoder().outDim();
        int[][] heldOut = CoConsumption.heldOutPairs(split);
        double recall = PairRecall.recallAt(embeddings, n, dim, new ItemPairs(heldOut[0], heldOut[1], heldOut[0].length),
                10, RECALL_PAIRS);
        long t2 = System.nanoTime();
        seconds.put("encoder", (t2 - t1) / 1e9);

        Coded main = quantize(s.method(), embeddings, n, dim, sizes, s, progress);
        seconds.put("quantize", main.report().seconds());
        Map<String, CoConsumption> co = new LinkedHashMap<>();
        co.put("heldOut", CoConsumption.measure(heldOut, main.resolved().codes(), sizes.length, n, s.seed()));
        co.put("training", CoConsumption.measure(CoConsumption.trainingPairs(split), main.resolved().codes(),
                sizes.length, n, s.seed()));
        QuantizationReport comparison = null;
        if (compare) {
            String other = s.method().equals(RqKmeansQuantizer.METHOD) ? RqVaeQuantizer.METHOD : RqKmeansQuantizer.METHOD;
            comparison = quantize(other, embeddings, n, dim, sizes, s, progress).report();
            seconds.put("comparison", comparison.seconds());
        }
        String[] ids = new String[n];
        for (int i = 0; i < n; i++) {
            ids[i] = ds.items().externalId(i);
        }
        TokenizeReport report = new TokenizeReport(ds.name(), n, ds.numUsers(), positives.total(),
                new TokenizeReport.PairSummary(pairs.userToItem(), pairs.itemToItem(), mined.sequentialFallbacks(),
                        withNeighbours),
                new TokenizeReport.EncoderSummary(s.encoder().kind().id(), trained.steps(), trained.lossCurve(), recall),
                main.report(), co, comparison, seconds);
        return new Built(s, ds.name(), inputs.vocabulary(), trained.encoder(), main.quantizer(), embeddings, ids,
                main.resolved().codes(), report);
    }

    private static int[] checkSizes(Dataset ds, TokenizerSettings s) {
        int n = ds.numItems();
        if (n < 2) {
            throw new UserException(ds.name() + ": " + n + " item(s); the tokenizer needs at least 2 items");
        }
        int[] sizes = s.codebookSizes(n);
        long space = 1;
        for (int k : sizes) {
            if (k > n) {
                throw new UserException("a codebook of " + k + " codes needs at least " + k + " items; " + ds.name()
                        + " has " + n + " (use a smaller --codebook)");
            }
            space = Math.min(Long.MAX_VALUE / k, space * k);
        }
        if (space < n) {
            throw new UserException(sizes.length + " levels of " + sizes[0] + " codes give " + space
                    + " semantic IDs, fewer than the " + n + " items of " + ds.name() + " (use more levels or codes)");
        }
        return sizes;
    }

    private static Coded quantize(String method, float[] embeddings, int n, int dim, int[] sizes, TokenizerSettings s,
                                  Progress progress) {
        long t0 = System.nanoTime();
        Quantizer quantizer;
        int[] codes;
        float[] latent;
        if (method.equals(RqKmeansQuantizer.METHOD)) {
            progress.stage("rq-kmeans", RqKmeans.progressUnits(sizes.length, s.kmeans()));
            RqKmeans.Result r = RqKmeans.fit(embeddings, n, dim, sizes, s.kmeans(), s.seed(), progress);
            quantizer = new RqKmeansQuantizer(r.codebooks());
            codes = r.codes();
            latent = embeddings;
        } else {
            progress.stage("rq-vae", RqVae.progressUnits(n, s.rqVae()));
            RqVaeQuantizer q = RqVae.train(embeddings, n, dim, sizes, s.rqVae(), progress);
            latent = q.toLatent(embeddings, n);
            codes = q.codebooks().encodeAll(latent, n);
            quantizer = q;
        }
        progress.stage("collisions " + method, 1);
        CollisionResolver.Outcome resolved = CollisionResolver.resolve(codes, n, latent, quantizer.codebooks());
        progress.advance(1);
        Quantizer qz = quantizer;
        List<LevelMetrics> levels = CodebookMetrics.measure(embeddings, n, dim, resolved.codes(), sizes,
                l -> qz.reconstruct(resolved.codes(), n, l));
        double secs = (System.nanoTime() - t0) / 1e9;
        QuantizationReport report = new QuantizationReport(method, sizes.clone(), levels, resolved.collidingItems(),
                resolved.collisionRate(), resolved.reassigned(), resolved.keptPrefix(), secs);
        return new Coded(quantizer, codes, latent, resolved, report);
    }
}
