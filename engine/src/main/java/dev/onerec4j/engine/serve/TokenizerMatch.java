package dev.onerec4j.engine.serve;

import dev.onerec4j.engine.UserException;
import dev.onerec4j.engine.serve.model.LoadedRun;
import dev.onerec4j.engine.tokenizer.SemanticIds;
import dev.onerec4j.engine.tokenizer.Tokenizer;

import java.util.Arrays;

/** Checks that a tokenizer folder is the one a run's semantic IDs came from, before it adds items to the run. */
final class TokenizerMatch {

    private TokenizerMatch() {
    }

    static void check(Tokenizer tokenizer, LoadedRun run) {
        SemanticIds mine = run.semanticIds();
        SemanticIds theirs = tokenizer.semanticIds();
        if (!Arrays.equals(mine.codebookSizes(), theirs.codebookSizes())) {
            throw new UserException("tokenizer " + tokenizer.folder() + " has codebooks "
                    + Arrays.toString(theirs.codebookSizes()) + " but the run's semantic IDs use "
                    + Arrays.toString(mine.codebookSizes()));
        }
        int base = run.info().space().items();
        if (theirs.itemCount() < base) {
            throw new UserException("tokenizer " + tokenizer.folder() + " has " + theirs.itemCount()
                    + " items, fewer than the run's " + base + ": it is not the run's tokenizer");
        }
        for (int i = 0; i < base; i++) {
            if (!Arrays.equals(mine.sid(i), theirs.sid(i))) {
                throw new UserException("tokenizer " + tokenizer.folder() + " gives item " + i + " the ID "
                        + Arrays.toString(theirs.sid(i)) + " but the run uses " + Arrays.toString(mine.sid(i))
                        + ": it is not the run's tokenizer");
            }
        }
    }
}
