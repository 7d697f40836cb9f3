package dev.onerec4j.engine.tokenizer;

/**
 * Progress of a long tokenizer job: stages, each with a known amount of work. The CLI shows it as a progress
 * bar; the API default ({@link #NONE}) ignores it. Calls come from the thread that runs the job.
 */
public interface Progress {

    /** Ignores everything. */
    Progress NONE = new Progress() {
        @Override
        public void stage(String name, long total) {
        }

        @Override
        public void advance(long amount) {
        }
    };

    /** A new stage of {@code total} units of work starts (the previous one is over). */
    void stage(String name, long total);

    /** {@code amount} more units of the current stage are done. */
    void advance(long amount);

    /** Free-form detail about the current stage (e.g. the latest loss); ignored by default. */
    default void detail(String text) {
    }
}
