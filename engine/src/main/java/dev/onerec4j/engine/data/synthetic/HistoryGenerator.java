package dev.onerec4j.engine.data.synthetic;

import java.util.SplittableRandom;

import dev.onerec4j.kernels.Parallel;

/**
 * Runs the logging process for every user. Each user has its own random stream (seeded by the world seed and
 * the user index), so users are generated in parallel and the result does not depend on the thread count.
 */
final class HistoryGenerator {

    /** Signals in the order of {@link #signals}' rows: click, like, follow, comment, forward, play time (s). */
    static final int NUM_SIGNALS = 6;
    private static final long GAP_FLOOR_SECONDS = 30;
    private static final int USERS_PER_TASK = 64;

    final int[] offsets;
    final int[] items;
    final long[] times;
    final float[][] signals;

    private final LatentWorld w;
    private final FeedbackModel feedback;

    HistoryGenerator(LatentWorld world, FeedbackModel feedback) {
        this.w = world;
        this.feedback = feedback;
        SyntheticSettings s = world.s;
        offsets = new int[world.numUsers + 1];
        for (int u = 0; u < world.numUsers; u++) {
            offsets[u + 1] = offsets[u] + length(userRandom(u));
        }
        int rows = offsets[world.numUsers];
        items = new int[rows];
        times = new long[rows];
        signals = new float[NUM_SIGNALS][rows];
        Parallel.forRange(world.numUsers, USERS_PER_TASK, (from, to) -> {
            float[] drawn = new float[NUM_SIGNALS];
            for (int u = from; u < to; u++) {
                generateUser(u, drawn);
            }
        });
    }

    private SplittableRandom userRandom(int user) {
        return new SplittableRandom(w.s.seed() * 0x9E3779B97F4A7C15L + user);
    }

    private int length(SplittableRandom rng) {
        return w.s.minHistory() + rng.nextInt(w.s.maxHistory() - w.s.minHistory() + 1);
    }

    private void generateUser(int u, float[] drawn) {
        SplittableRandom rng = userRandom(u);
        int length = length(rng); // the same draw as when the offsets were laid out
        UserState state = new UserState(w, u);
        long time = LatentWorld.START_TIME + rng.nextLong(LatentWorld.START_SPREAD_SECONDS);
        int current = -1;
        for (int k = 0; k < length; k++) {
            int item = state.sample(current, rng);
            state.consume(item);
            feedback.draw(u, item, rng, drawn);
            int row = offsets[u] + k;
            items[row] = item;
            times[row] = time;
            for (int j = 0; j < NUM_SIGNALS; j++) {
                signals[j][row] = drawn[j];
            }
            time += GAP_FLOOR_SECONDS + (long) (-w.s.meanGapSeconds() * Math.log(1.0 - rng.nextDouble()));
            current = item;
        }
    }
}
