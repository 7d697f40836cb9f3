package dev.onerec4j.engine.sample;

/**
 * The model inputs of a batch of requests, as host arrays: the user and their static feature codes (offset into
 * the concatenated feature table) and one {@link SequenceBlock} per enabled sequence pathway (null when the
 * pathway is switched off). The lifelong block holds cluster representatives, not raw interactions.
 */
public final class ContextBatch {

    public final int size;
    public final int[] users;
    /** {@code [size, userFeatures]}: code + the feature's offset in the concatenated table. */
    public final int[] userCodes;
    public final SequenceBlock shortTerm;
    public final SequenceBlock positive;
    public final SequenceBlock lifelong;

    public ContextBatch(int[] users, int[] userCodes, SequenceBlock shortTerm, SequenceBlock positive,
                        SequenceBlock lifelong) {
        this.size = users.length;
        this.users = users;
        this.userCodes = userCodes;
        this.shortTerm = shortTerm;
        this.positive = positive;
        this.lifelong = lifelong;
    }
}
