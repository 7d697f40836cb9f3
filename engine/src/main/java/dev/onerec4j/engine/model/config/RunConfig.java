package dev.onerec4j.engine.model.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * Everything a training run is configured with: the model shape, the SASRec baseline's shape, optimisation and
 * evaluation. Loaded from a named preset or a JSON file ({@link ConfigLoader}) and saved into the run folder.
 */
@JsonPropertyOrder({"name", "preset", "model", "sasrec", "train", "eval"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class RunConfig {

    /** A label for reports. */
    public String name = "custom";
    /** In a config file: the preset it starts from (its fields override the preset's). */
    public String preset;
    public ModelConfig model = new ModelConfig();
    public SasRecConfig sasrec = new SasRecConfig();
    public TrainConfig train = new TrainConfig();
    public EvalConfig eval = new EvalConfig();

    /** Checks every field; the first problem becomes a one-line {@link dev.onerec4j.engine.UserException}. */
    public RunConfig validate(String source) {
        ConfigErrors errors = new ConfigErrors(source);
        errors.require(model != null, "model", "is missing");
        errors.require(train != null, "train", "is missing");
        errors.require(eval != null, "eval", "is missing");
        errors.require(sasrec != null, "sasrec", "is missing");
        errors.throwIfAny();
        model.validate(errors);
        sasrec.validate(errors);
        train.validate(errors);
        eval.validate(errors);
        errors.throwIfAny();
        return this;
    }
}
