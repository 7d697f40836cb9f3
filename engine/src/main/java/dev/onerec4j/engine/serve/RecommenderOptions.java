package dev.onerec4j.engine.serve;

import java.nio.file.Path;

/**
 * How a {@link Recommender} serves.
 *
 * @param maxK             largest list a request may ask for
 * @param maxBeamWidth     largest beam width a request may ask for
 * @param maxHistory       most history entries a request may send
 * @param maxExclude       most items a request may exclude
 * @param maxBatchRequests most requests decoded together (1 switches batching off)
 * @param maxBatchBeams    most beams (requests x beam width) decoded together
 * @param batchWaitMicros  how long a worker may wait for more requests to fill a batch, only while other requests
 *                         are being decoded (a request that arrives alone is never delayed)
 * @param workers          decoding threads (one per core by default)
 * @param selector         chooses the final list from the generated candidates (ignored with {@code reward})
 * @param reward           reward-model selection (null = none)
 */
public record RecommenderOptions(int maxK, int maxBeamWidth, int maxHistory, int maxExclude, int maxBatchRequests,
                                 int maxBatchBeams, long batchWaitMicros, int workers,
                                 ListSelector selector, RewardSelection reward) {

    /**
     * Reward-model selection (report section 4.5): beam search generates {@code candidates} items (the beam width
     * of requests that give none; 0 = the run's default beam width), the P-Score model in {@code folder} (written
     * by {@code train-reward} on the run's data set) scores them, and the {@code k} best are returned.
     */
    public record RewardSelection(Path folder, int candidates) {
        public RewardSelection {
            if (folder == null) {
                throw new IllegalArgumentException("recommender options: reward selection needs a reward folder");
            }
            if (candidates < 0) {
                throw new IllegalArgumentException("recommender options: reward candidates must be >= 0, got "
                        + candidates);
            }
        }
    }

    public RecommenderOptions {
        require(maxK >= 1, "maxK must be >= 1");
        require(maxBeamWidth >= 1, "maxBeamWidth must be >= 1");
        require(maxHistory >= 1, "maxHistory must be >= 1");
        require(maxExclude >= 0, "maxExclude must be >= 0");
        require(maxBatchRequests >= 1, "maxBatchRequests must be >= 1");
        require(maxBatchBeams >= 1, "maxBatchBeams must be >= 1");
        require(batchWaitMicros >= 0, "batchWaitMicros must be >= 0");
        require(workers >= 1, "workers must be >= 1");
        require(reward == null || reward.candidates() <= maxBeamWidth, "reward candidates must be <= maxBeamWidth ("
                + maxBeamWidth + ")");
        selector = selector == null ? ListSelector.identity() : selector;
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("recommender options: " + message);
        }
    }

    /** Lists up to 1,000, beams up to 1,024, histories up to 10,000, batches of up to 64 requests / 8,192 beams. */
    public static RecommenderOptions defaults() {
        return new RecommenderOptions(1000, 1024, 10_000, 10_000, 64, 8192, 200,
                Runtime.getRuntime().availableProcessors(), ListSelector.identity(), null);
    }

    public RecommenderOptions withMaxBatchRequests(int n) {
        return new RecommenderOptions(maxK, maxBeamWidth, maxHistory, maxExclude, n, maxBatchBeams, batchWaitMicros,
                workers, selector, reward);
    }

    public RecommenderOptions withBatchWaitMicros(long micros) {
        return new RecommenderOptions(maxK, maxBeamWidth, maxHistory, maxExclude, maxBatchRequests, maxBatchBeams,
                micros, workers, selector, reward);
    }

    public RecommenderOptions withWorkers(int n) {
        return new RecommenderOptions(maxK, maxBeamWidth, maxHistory, maxExclude, maxBatchRequests, maxBatchBeams,
                batchWaitMicros, n, selector, reward);
    }

    public RecommenderOptions withSelector(ListSelector s) {
        return new RecommenderOptions(maxK, maxBeamWidth, maxHistory, maxExclude, maxBatchRequests, maxBatchBeams,
                batchWaitMicros, workers, s, reward);
    }

    public RecommenderOptions withLimits(int k, int beam, int history, int exclude) {
        return new RecommenderOptions(k, beam, history, exclude, maxBatchRequests, maxBatchBeams, batchWaitMicros,
                workers, selector, reward);
    }

    /**
     * Reward-model selection with the P-Score model in {@code rewardRun}: {@code candidates} generated items per
     * request (0 = the run's default beam width) are ranked by P-Score and the best {@code k} returned.
     */
    public RecommenderOptions withRewardSelection(Path rewardRun, int candidates) {
        return new RecommenderOptions(maxK, maxBeamWidth, maxHistory, maxExclude, maxBatchRequests, maxBatchBeams,
                batchWaitMicros, workers, selector, new RewardSelection(rewardRun, candidates));
    }
}
