package dev.onerec4j.engine.cli;

import dev.onerec4j.engine.UserException;
import dev.onerec4j.engine.serve.RecommenderOptions;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The {@code --reward RUN [--select N]} options of {@code serve} and {@code recommend} (a picocli mixin). */
final class RewardOptions {

    @Option(names = "--reward", paramLabel = "RUN",
            description = "Reward-model selection: rank the generated candidates by the P-Score model in this folder "
                    + "(written by train-reward on the run's data set) and return the best k.")
    Path reward;

    @Option(names = "--select", paramLabel = "N",
            description = "With --reward: candidates generated per request (the default beam width; default: the run's).")
    Integer select;

    /** {@code options} with reward-model selection when {@code --reward} is given. */
    RecommenderOptions apply(RecommenderOptions options) {
        if (reward == null) {
            if (select != null) {
                throw new UserException("--select needs --reward (the P-Score model that ranks the candidates)");
            }
            return options;
        }
        if (select != null && (select < 1 || select > options.maxBeamWidth())) {
            throw new UserException("--select must be between 1 and " + options.maxBeamWidth() + ", got " + select);
        }
        return options.withRewardSelection(reward, select == null ? 0 : select);
    }
}
