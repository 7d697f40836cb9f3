package dev.onerec4j.engine.cli;

import dev.onerec4j.engine.align.AlignPipeline;
import dev.onerec4j.engine.align.AlignmentReport;

import java.util.Locale;

/** The before/after comparison the align command prints. */
final class AlignSummary {

    private AlignSummary() {
    }

    static String compare(AlignPipeline.Outcome o) {
        AlignmentReport b = o.before();
        AlignmentReport a = o.after();
        StringBuilder sb = new StringBuilder("\n| metric         | before  | after   | change  |\n"
                + "|----------------|---------|---------|---------|\n");
        int k = b.k();
        row(sb, "Recall@" + k, b.ranking().get("recall@" + k), a.ranking().get("recall@" + k));
        row(sb, "NDCG@" + k, b.ranking().get("ndcg@" + k), a.ranking().get("ndcg@" + k));
        row(sb, "E[Recall]@" + k, b.ranking().get("expected_recall@" + k), a.ranking().get("expected_recall@" + k));
        row(sb, "value@" + k, b.value(), a.value());
        row(sb, "pass@" + k, b.passValue(), a.passValue());
        row(sb, "P-Score@" + k, b.meanPScore(), a.meanPScore());
        row(sb, "class share", b.classShare(), a.classShare());
        row(sb, "legal (beams)", o.legalityBefore().beams(), o.legalityAfter().beams());
        row(sb, "legal (sampled)", o.legalityBefore().sampled(), o.legalityAfter().sampled());
        sb.append(String.format(Locale.ROOT, "%d steps in %.1f s; reward: %s%n", o.steps(), o.seconds(), o.reward()));
        return sb.toString();
    }

    private static void row(StringBuilder sb, String name, Double before, Double after) {
        if (before == null || after == null) {
            return;
        }
        sb.append(String.format(Locale.ROOT, "| %-14s | %.4f  | %.4f  | %+6.1f%% |%n", name, before, after,
                before == 0 ? 0 : 100 * (after / before - 1)));
    }
}
