package dev.onerec4j.engine.bench;

import dev.onerec4j.engine.data.Dataset;
import dev.onerec4j.engine.data.DatasetBuilder;
import dev.onerec4j.engine.data.ItemCatalog;
import dev.onerec4j.engine.data.PositiveRule;
import dev.onerec4j.engine.data.Signal;
import dev.onerec4j.engine.model.ModelFactory;
import dev.onerec4j.engine.model.OneRecModel;
import dev.onerec4j.engine.model.config.RunConfig;
import dev.onerec4j.engine.sample.FeatureSpace;
import dev.onerec4j.engine.serve.HistoryEntry;
import dev.onerec4j.engine.tokenizer.AssignedIdsTokenizer;
import dev.onerec4j.engine.tokenizer.SemanticIds;
import dev.onerec4j.engine.train.ModelFiles;
import dev.onerec4j.engine.train.RunCatalog;
import dev.onerec4j.engine.train.RunDirectory;
import dev.onerec4j.engine.train.RunInfo;
import dev.onerec4j.tensors.MemoryScope;
import org.eclipse.collections.impl.set.mutable.primitive.LongHashSet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A run folder of a given model shape with random weights, for timing serving where no trained run is at hand:
 * a catalogue of {@code items} items with random unique semantic IDs (three levels of {@code codebook} tokens, as
 * the report's tokenizer gives), durations, like and play-time feedback, and one categorical user feature.
 */
public final class GeneratedRun {

    private GeneratedRun() {
    }

    /** Writes the run into {@code dir} and returns it. */
    public static Path write(Path dir, RunConfig config, int items, int codebook, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        DatasetBuilder b = new DatasetBuilder("generated");
        b.declareSignal(Signal.LIKE);
        b.declareSignal(Signal.PLAY_TIME);
        for (int i = 0; i < items; i++) {
            int item = b.item("i" + i);
            b.setNumeric(item, ItemCatalog.DURATION, 10 + rng.nextInt(300));
        }
        int users = 4;
        for (int u = 0; u < users; u++) {
            int user = b.user("u" + u);
            b.setUserFeature(user, "segment", "s" + u);
            int row = b.addInteraction(user, rng.nextInt(items), u);
            b.setSignal(row, Signal.LIKE, u % 2);
            b.setSignal(row, Signal.PLAY_TIME, 30);
        }
        Dataset data = b.build(PositiveRule.defaultFor(EnumSet.of(Signal.LIKE, Signal.PLAY_TIME), true),
                DatasetBuilder.Ordering.SORT_BY_TIME);
        SemanticIds sids = new SemanticIds(new int[] {codebook, codebook, codebook}, randomSids(items, codebook, rng));
        FeatureSpace space = FeatureSpace.of(data, sids);
        try {
            RunDirectory run = RunDirectory.create(dir);
            try (MemoryScope scope = MemoryScope.owned("generated model")) {
                OneRecModel model = ModelFactory.create(config.model, space, sids, scope, seed);
                Files.createDirectories(run.best());
                ModelFiles.write(run.best().resolve("model.safetensors"), model.stateTensors(), Map.of());
                new RunInfo(RunInfo.ONEREC, "", "generated", data.name(), config, space, model.parameterCount())
                        .save(run);
            }
            AssignedIdsTokenizer.write(run.tokenizer(), data, sids.allSids(), sids.codebookSizes(), seed);
            RunCatalog.of(data, config.model.userIdEmbedding).save(run.catalog());
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the generated run " + dir + ": " + e.getMessage(), e);
        }
    }

    private static int[] randomSids(int items, int codebook, SplittableRandom rng) {
        LongHashSet taken = new LongHashSet();
        int[] out = new int[items * 3];
        for (int i = 0; i < items; i++) {
            long key;
            int a;
            int c;
            int d;
            do {
                a = rng.nextInt(codebook);
                c = rng.nextInt(codebook);
                d = rng.nextInt(codebook);
                key = ((long) a * codebook + c) * codebook + d;
            } while (!taken.add(key));
            out[i * 3] = a;
            out[i * 3 + 1] = c;
            out[i * 3 + 2] = d;
        }
        return out;
    }

    /**
     * A history of {@code length} random items of {@code ids}, an hour apart, with a random value of each of
     * {@code signals} (binary ones 0 or 1, ratings 1 to 5, play time up to 200 s).
     */
    public static List<HistoryEntry> history(int length, List<String> ids, Set<Signal> signals, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<HistoryEntry> out = new ArrayList<>(length);
        for (int p = 0; p < length; p++) {
            Map<String, Double> feedback = new HashMap<>();
            for (Signal s : signals) {
                double v = s.isBinary() ? rng.nextInt(2) : s == Signal.RATING ? 1 + rng.nextInt(5) : rng.nextInt(200);
                feedback.put(s.columnName(), v);
            }
            out.add(new HistoryEntry(ids.get(rng.nextInt(ids.size())), 1_700_000_000L + 3600L * p, feedback));
        }
        return out;
    }
}
