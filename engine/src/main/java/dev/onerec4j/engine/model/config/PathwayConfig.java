package dev.onerec4j.engine.model.config;

/**
 * Which multi-scale input pathways the model reads, and their sizes (section 2.2.1 of the OneRec report). A
 * length of 0 switches a sequence pathway off.
 */
public final class PathwayConfig {

    /** User static pathway: one token from the user's categorical features (and the user id, if enabled). */
    public boolean userStatic = true;
    /** Short-term pathway: the last {@code shortTerm} interactions before the target. */
    public int shortTerm = 20;
    /** Positive-feedback pathway: the last {@code positive} positive interactions before the target. */
    public int positive = 10;
    /** Lifelong pathway: older history compressed by hierarchical k-means, then summarised by a QFormer. */
    public LifelongConfig lifelong = new LifelongConfig();

    void validate(ConfigErrors errors) {
        errors.require(shortTerm >= 0, "model.pathways.shortTerm", "must be >= 0, got " + shortTerm);
        errors.require(positive >= 0, "model.pathways.positive", "must be >= 0, got " + positive);
        lifelong.validate(errors);
        errors.require(userStatic || shortTerm > 0 || positive > 0 || lifelong.enabled(), "model.pathways",
                "every pathway is switched off: the model would have no input");
    }

    /** Number of context tokens the enabled sequence pathways and the static token can produce. */
    public int maxContextTokens() {
        return (userStatic ? 1 : 0) + shortTerm + positive + (lifelong.enabled() ? lifelong.queries : 0);
    }
}
