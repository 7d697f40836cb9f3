package dev.onerec4j.engine.tokenizer;

import dev.onerec4j.engine.tokenizer.encoder.EncoderSettings;
import dev.onerec4j.engine.tokenizer.features.IdTokens;
import dev.onerec4j.engine.tokenizer.pairs.PairSettings;
import dev.onerec4j.engine.tokenizer.quant.KMeansSettings;
import dev.onerec4j.engine.tokenizer.quant.RqKmeansQuantizer;
import dev.onerec4j.engine.tokenizer.quant.RqVaeQuantizer;
import dev.onerec4j.engine.tokenizer.quant.RqVaeSettings;

/**
 * Everything a tokenize run depends on (saved in the folder's manifest, so a folder says how it was made).
 *
 * @param method         {@code rq-kmeans} (the default, the report's choice) or {@code rq-vae} (the baseline)
 * @param levels         tokens per semantic ID (default 3)
 * @param codebookSize   codes per level; 0 = sized to the catalogue by {@link #defaultCodebookSize}
 * @param kmeans         k-means of RQ-Kmeans (and of RQ-VAE's codebook initialisation); its capacity factor
 *                       turns on the balanced assignment
 * @param encoder        the aligned item encoder
 * @param pairs          collaborative pair mining
 * @param rqVae          the RQ-VAE baseline (used when {@code method} is rq-vae, or for a comparison)
 * @param idTokens       identity tokens policy ({@link IdTokens#id()})
 * @param numericBuckets quantile buckets per numeric item feature (0 or 1 = ignore numeric features)
 * @param maxTokens      input tokens per item at most
 * @param seed           the seed every random choice derives from
 */
public record TokenizerSettings(String method, int levels, int codebookSize, KMeansSettings kmeans,
                                EncoderSettings encoder, PairSettings pairs, RqVaeSettings rqVae, String idTokens,
                                int numericBuckets, int maxTokens, long seed) {

    /** The largest default codebook. */
    public static final int MAX_DEFAULT_CODEBOOK = 256;
    /** The default codebooks give about this many IDs per item. */
    public static final int IDS_PER_ITEM = 16;

    public TokenizerSettings {
        if (!RqKmeansQuantizer.METHOD.equals(method) && !RqVaeQuantizer.METHOD.equals(method)) {
            throw new IllegalArgumentException("unknown method '" + method + "'; expected rq-kmeans or rq-vae");
        }
        if (levels < 1 || levels > 8) {
            throw new IllegalArgumentException("levels must be in 1..8, got " + levels);
        }
        if (codebookSize < 0 || codebookSize == 1 || codebookSize > 65536) {
            throw new IllegalArgumentException("codebook size must be 0 (sized to the catalogue) or in 2..65536, got "
                    + codebookSize);
        }
        IdTokens.parse(idTokens);
        if (numericBuckets < 0 || maxTokens < 1) {
            throw new IllegalArgumentException("numericBuckets must be >= 0 and maxTokens >= 1");
        }
    }

    public static TokenizerSettings defaults(long seed) {
        return new TokenizerSettings(RqKmeansQuantizer.METHOD, 3, 0, KMeansSettings.defaults(),
                EncoderSettings.defaults(seed), PairSettings.defaults(seed), RqVaeSettings.defaults(64, seed),
                IdTokens.NOT_UNIQUE.id(), 8, 64, seed);
    }

    /**
     * The default codebook size for {@code items} items and {@code levels} levels: the smallest {@code K} with
     * {@code K^levels >= 16 * items} (so about 16 IDs per item: few collisions, and the first level still groups
     * items coarsely), at least 2, at most 256 (a token fits a byte; larger catalogues get more IDs per item).
     * E.g. 12,101 items (Amazon Beauty) → 58; 1,682 (MovieLens-100K) → 30; a million → 252.
     */
    public static int defaultCodebookSize(int items, int levels) {
        double target = (double) IDS_PER_ITEM * Math.max(1, items);
        int k = (int) Math.ceil(Math.pow(target, 1.0 / levels) - 1e-9);
        while (Math.pow(k, levels) < target) {
            k++;
        }
        return Math.max(2, Math.min(MAX_DEFAULT_CODEBOOK, k));
    }

    /** The codebook sizes used for a catalogue of {@code items} items. */
    public int[] codebookSizes(int items) {
        int k = codebookSize > 0 ? codebookSize : defaultCodebookSize(items, levels);
        int[] sizes = new int[levels];
        java.util.Arrays.fill(sizes, k);
        return sizes;
    }

    public TokenizerSettings withMethod(String m) {
        return new TokenizerSettings(m, levels, codebookSize, kmeans, encoder, pairs, rqVae, idTokens, numericBuckets, maxTokens, seed);
    }

    public TokenizerSettings withLevels(int l) {
        return new TokenizerSettings(method, l, codebookSize, kmeans, encoder, pairs, rqVae, idTokens, numericBuckets, maxTokens, seed);
    }

    public TokenizerSettings withCodebookSize(int k) {
        return new TokenizerSettings(method, levels, k, kmeans, encoder, pairs, rqVae, idTokens, numericBuckets, maxTokens, seed);
    }

    public TokenizerSettings withKmeans(KMeansSettings k) {
        return new TokenizerSettings(method, levels, codebookSize, k, encoder, pairs, rqVae, idTokens, numericBuckets, maxTokens, seed);
    }

    public TokenizerSettings withEncoder(EncoderSettings e) {
        return new TokenizerSettings(method, levels, codebookSize, kmeans, e, pairs, rqVae, idTokens, numericBuckets, maxTokens, seed);
    }

    public TokenizerSettings withRqVae(RqVaeSettings r) {
        return new TokenizerSettings(method, levels, codebookSize, kmeans, encoder, pairs, r, idTokens, numericBuckets, maxTokens, seed);
    }

    public TokenizerSettings withIdTokens(String policy) {
        return new TokenizerSettings(method, levels, codebookSize, kmeans, encoder, pairs, rqVae, policy, numericBuckets, maxTokens, seed);
    }
}
