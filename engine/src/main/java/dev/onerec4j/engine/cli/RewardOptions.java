package dev.onerec4j.engine.cli;

import dev.onerec4j.engine.UserException;
import dev.onerec4j.engine.serve.RecommenderOptions;

import java.nio.file.Path;

/** The {@code --reward RUN [--select N]} options of {@code serve} and {@code recommend}. */
final class RewardOptions {

    private RewardOptions() {
    }

    /** {@code options} with reward-model selection when {@code reward} is given. */
    static RecommenderOptions apply(RecommenderOptions options, Path reward, Integer select) {
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
