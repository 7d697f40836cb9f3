package dev.onerec4j.engine.model.config;

/**
 * Mixture-of-Experts feed-forward layers: {@code experts} SwiGLU experts of width {@code hidden}, top-{@code topK}
 * routing, loss-free balancing with bias step {@code balanceRate} (0 = plain top-k routing). {@code experts = 0}
 * keeps dense feed-forward networks everywhere. {@code where} says which stacks use MoE: {@code decoder} or
 * {@code all} (encoder and decoder).
 */
public final class MoeConfig {

    public int experts = 0;
    public int topK = 2;
    public int hidden = 0;
    public double balanceRate = 0.001;
    public String where = "decoder";

    public boolean enabled() {
        return experts > 0;
    }

    /** Whether the encoder's (or QFormer's) feed-forward networks are MoE too. */
    public boolean inEncoder() {
        return enabled() && "all".equals(where);
    }

    void validate(ConfigErrors errors, int ffnHidden) {
        errors.require(experts >= 0, "model.moe.experts", "must be >= 0, got " + experts);
        if (experts == 0) {
            return;
        }
        errors.require(topK >= 1 && topK <= experts, "model.moe.topK",
                "must be between 1 and model.moe.experts (" + experts + "), got " + topK);
        errors.require(hidden >= 0, "model.moe.hidden", "must be >= 0 (0 = the dense FFN width), got " + hidden);
        errors.require(balanceRate >= 0, "model.moe.balanceRate", "must be >= 0, got " + balanceRate);
        errors.require("decoder".equals(where) || "all".equals(where), "model.moe.where",
                "must be \"decoder\" or \"all\", got \"" + where + "\"");
    }

    /** The expert width: {@code hidden}, or the dense FFN width when 0. */
    public int expertHidden(int ffnHidden) {
        return hidden > 0 ? hidden : ffnHidden;
    }
}
