package dev.onerec4j.engine.tokenizer;

import dev.onerec4j.engine.data.Dataset;
import dev.onerec4j.engine.data.synthetic.SyntheticSettings;
import dev.onerec4j.engine.data.synthetic.SyntheticWorld;

/** A small generated world with planted item clusters, and tokenizer settings that fit it in a few seconds. */
final class SmallWorld {

    static final SyntheticWorld WORLD = SyntheticWorld.create(SyntheticSettings.defaults().withSize(600, 400, 10, 12, 24));

    private SmallWorld() {
    }

    static Dataset dataset() {
        return WORLD.dataset();
    }

    /** Fast settings: a short encoder run with small batches. */
    static TokenizerSettings settings(long seed) {
        TokenizerSettings s = TokenizerSettings.defaults(seed);
        return s.withEncoder(s.encoder().withBatchSize(128).withEpochs(2))
                .withRqVae(s.rqVae().withEpochs(20));
    }
}
