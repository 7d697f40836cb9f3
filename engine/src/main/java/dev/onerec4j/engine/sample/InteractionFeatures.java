package dev.onerec4j.engine.sample;

import dev.onerec4j.engine.data.Dataset;
import dev.onerec4j.engine.data.Histories;
import dev.onerec4j.engine.data.ItemCatalog;
import dev.onerec4j.engine.data.Signal;

import java.util.ArrayList;
import java.util.List;

/**
 * The dense feature vector the model reads for one logged interaction (the report's label, playtime and duration
 * features): the positive-feedback flag, each recorded binary signal, the rating scaled to [0, 1], log play time,
 * and the fraction of the item played. Missing values are 0. The feature names depend only on which signals the
 * data set records, so they are part of the model's {@link FeatureSpace}.
 */
public final class InteractionFeatures {

    static final String POSITIVE = "positive";
    static final String RATING = "rating";
    static final String PLAY_TIME = "play_time";
    static final String PLAY_RATIO = "play_ratio";
    private static final double LOG_PLAY_SCALE = Math.log1p(3600);

    private final Histories histories;
    private final ItemCatalog items;
    private final List<String> names;
    private final Signal[] binary;
    private final boolean rating;
    private final boolean playTime;
    private final boolean playRatio;

    public InteractionFeatures(Dataset dataset) {
        this.histories = dataset.histories();
        this.items = dataset.items();
        this.names = namesFor(dataset);
        List<Signal> bin = new ArrayList<>();
        for (Signal s : dataset.signals()) {
            if (s.isBinary()) {
                bin.add(s);
            }
        }
        this.binary = bin.toArray(new Signal[0]);
        this.rating = names.contains(RATING);
        this.playTime = names.contains(PLAY_TIME);
        this.playRatio = names.contains(PLAY_RATIO);
    }

    /** The feature names a data set gives, in vector order. */
    public static List<String> namesFor(Dataset dataset) {
        List<String> out = new ArrayList<>();
        out.add(POSITIVE);
        for (Signal s : dataset.signals()) {
            if (s.isBinary()) {
                out.add(s.columnName());
            }
        }
        if (dataset.signals().contains(Signal.RATING)) {
            out.add(RATING);
        }
        if (dataset.signals().contains(Signal.PLAY_TIME)) {
            out.add(PLAY_TIME);
            if (dataset.items().hasNumeric(ItemCatalog.DURATION)) {
                out.add(PLAY_RATIO);
            }
        }
        return out;
    }

    /** Whether feature {@code name} is continuous (averaged over a lifelong cluster) rather than a label. */
    public static boolean isContinuous(String name) {
        return RATING.equals(name) || PLAY_TIME.equals(name) || PLAY_RATIO.equals(name);
    }

    public List<String> names() {
        return names;
    }

    public int count() {
        return names.size();
    }

    /** Writes the features of history row {@code row} into {@code out[offset .. offset + count())}. */
    public void write(int row, float[] out, int offset) {
        int j = offset;
        out[j++] = histories.isPositive(row) ? 1f : 0f;
        for (Signal s : binary) {
            float v = histories.signal(s, row);
            out[j++] = Float.isNaN(v) ? 0f : v;
        }
        if (rating) {
            float v = histories.signal(Signal.RATING, row);
            out[j++] = Float.isNaN(v) ? 0f : v / 5f;
        }
        if (playTime) {
            float play = histories.signal(Signal.PLAY_TIME, row);
            out[j++] = Float.isNaN(play) || play <= 0 ? 0f : (float) (Math.log1p(play) / LOG_PLAY_SCALE);
            if (playRatio) {
                float duration = items.duration(histories.item(row));
                out[j++] = Float.isNaN(play) || !(duration > 0) ? 0f : Math.min(play / duration, 2f) / 2f;
            }
        }
    }
}
