package dev.onerec4j.engine.train;

/**
 * The trainer's own state in a checkpoint, besides the model and optimizer tensors: optimizer steps taken, the
 * data-order position, early-stopping bookkeeping and the training time spent so far.
 */
public final class TrainState {

    public long step;
    public int epoch;
    public int cursor;
    public double bestMetric = -1;
    public long bestStep = -1;
    public int evalsWithoutImprovement;
    public double elapsedSeconds;
    public boolean stoppedEarly;
    /** Loss sum and step count of the logging interval in progress (so a resumed log averages the same steps). */
    public double windowLoss;
    public int windowSteps;
    /** Fingerprint of the model shape the checkpoint belongs to. */
    public String modelSignature;
}
