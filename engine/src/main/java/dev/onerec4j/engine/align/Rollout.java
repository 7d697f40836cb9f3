package dev.onerec4j.engine.align;

/**
 * The RL samples of one training step, as host arrays (they cross from the generator thread to the trainer): the
 * requests (user, history position), and per sample its request, item, generating-policy log-probability,
 * advantage and weight in the objective; the same for the format reward's samples; statistics for the log.
 *
 * @param step             the training step these samples are for
 * @param policyVersion    the training step whose parameters generated them
 * @param users            requests' users
 * @param positions        requests' history positions
 * @param rl               preference samples
 * @param format           format-reward samples (empty when off)
 * @param meanReward       mean reward of the preference samples (before normalisation)
 * @param formatLegality   share of the unconstrained samples that named an item (NaN when off)
 * @param suppressedShare  share of the generated items in the SIR class (NaN when off)
 */
public record Rollout(long step, long policyVersion, int[] users, int[] positions, Samples rl, Samples format,
                      double meanReward, double formatLegality, double suppressedShare) {

    /** Samples: request index, item, old log-probability, advantage and objective weight of each. */
    public record Samples(int[] owner, int[] items, double[] oldLogProbs, double[] advantages, double[] weights) {

        public static Samples empty() {
            return new Samples(new int[0], new int[0], new double[0], new double[0], new double[0]);
        }

        public int size() {
            return owner.length;
        }
    }
}
