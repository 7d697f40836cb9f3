package dev.onerec4j.engine.reward;

import dev.onerec4j.engine.UserException;
import dev.onerec4j.engine.data.Dataset;
import dev.onerec4j.engine.data.ItemCatalog;
import dev.onerec4j.engine.data.Signal;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/**
 * The reward model's objectives for a data set, one per feedback type it records:
 * <ul>
 *   <li>each recorded binary engagement signal (click, like, follow, comment, forward, long_view, label);</li>
 *   <li>an explicit dislike ({@code hate}) as a negative objective;</li>
 *   <li>play time, when items have durations: {@code play_time >= 0.5 x duration};</li>
 *   <li>ratings, which are one signal, split into two objectives: {@code rating >= 4} ("liked") and
 *       {@code rating >= 5} ("loved").</li>
 * </ul>
 * A data set with only implicit interactions (every logged interaction is a positive, as in the Amazon sets) has
 * no labels to learn from and is refused.
 */
public final class Objectives {

    static final double PLAY_FRACTION = 0.5;

    private static final List<Signal> ENGAGEMENT = List.of(Signal.CLICK, Signal.LIKE, Signal.FOLLOW, Signal.COMMENT,
            Signal.FORWARD, Signal.LONG_VIEW, Signal.LABEL);

    private Objectives() {
    }

    public static List<Objective> derive(Dataset dataset) {
        EnumSet<Signal> signals = dataset.signals();
        List<Objective> out = new ArrayList<>();
        for (Signal s : ENGAGEMENT) {
            if (signals.contains(s)) {
                out.add(new Objective(s.columnName(), s.columnName(), 0.5, false));
            }
        }
        if (signals.contains(Signal.PLAY_TIME) && dataset.items().hasNumeric(ItemCatalog.DURATION)) {
            out.add(new Objective("half_play", Signal.PLAY_TIME.columnName(), PLAY_FRACTION, false));
        }
        if (signals.contains(Signal.RATING)) {
            out.add(new Objective("liked", Signal.RATING.columnName(), 4, false));
            out.add(new Objective("loved", Signal.RATING.columnName(), 5, false));
        }
        if (signals.contains(Signal.HATE)) {
            out.add(new Objective("hate", Signal.HATE.columnName(), 0.5, true));
        }
        if (out.stream().noneMatch(o -> !o.negative())) {
            throw new UserException("data set " + dataset.name() + " records no feedback signal a reward model can learn "
                    + "from (signals " + signals + "; implicit interactions only): it needs clicks, likes, ratings, "
                    + "play time or another labelled signal");
        }
        return List.copyOf(out);
    }
}
