package dev.onerec4j.engine.train;

/**
 * The outcome of a training run.
 *
 * @param steps             optimizer steps done in total (including before a resume)
 * @param bestRecall        best validation Recall@10 (-1 without validation)
 * @param bestStep          step of the best validation
 * @param stoppedEarly      validation stopped improving for {@code patience} evaluations
 * @param timeLimited       the run stopped at its time or step limit and can be resumed
 * @param seconds           training wall time in total (including before a resume)
 * @param lastLoss          mean loss of the last logging interval
 * @param samplesPerSecond  throughput of this process's steps
 * @param moeImbalance      max/min expert load over the last logging interval, averaged over MoE layers (NaN if dense)
 */
public record TrainResult(long steps, double bestRecall, long bestStep, boolean stoppedEarly, boolean timeLimited,
                          double seconds, double lastLoss, double samplesPerSecond, double moeImbalance) {
}
