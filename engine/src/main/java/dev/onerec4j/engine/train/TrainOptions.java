package dev.onerec4j.engine.train;

import java.io.PrintStream;

/**
 * How a training run is driven (as opposed to what it trains, which is the config).
 *
 * @param resume          continue from the run folder's latest checkpoint
 * @param maxMinutes      stop (with a checkpoint) after this much wall time; 0 = no limit
 * @param stopAfterSteps  stop (with a checkpoint) once this many optimizer steps are done; 0 = no limit
 * @param progressBar     draw a progress bar on stderr
 * @param out             where status lines go (null = nowhere)
 * @param commitHook      called before each checkpoint is committed (fault injection in tests)
 */
public record TrainOptions(boolean resume, double maxMinutes, long stopAfterSteps, boolean progressBar,
                           PrintStream out, Checkpoints.CommitHook commitHook) {

    public static TrainOptions quiet() {
        return new TrainOptions(false, 0, 0, false, null, t -> { });
    }

    public TrainOptions withResume(boolean r) {
        return new TrainOptions(r, maxMinutes, stopAfterSteps, progressBar, out, commitHook);
    }

    public TrainOptions withStopAfterSteps(long s) {
        return new TrainOptions(resume, maxMinutes, s, progressBar, out, commitHook);
    }

    public TrainOptions withCommitHook(Checkpoints.CommitHook h) {
        return new TrainOptions(resume, maxMinutes, stopAfterSteps, progressBar, out, h);
    }
}
