package dev.onerec4j.engine.cli;

import dev.onerec4j.engine.tokenizer.TokenizeReport;
import dev.onerec4j.engine.tokenizer.metrics.CoConsumption;
import dev.onerec4j.engine.tokenizer.metrics.LevelMetrics;
import dev.onerec4j.engine.tokenizer.metrics.QuantizationReport;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/** The readable form of a {@link TokenizeReport}. */
final class MetricsTable {

    private MetricsTable() {
    }

    static void print(PrintStream out, TokenizeReport r) {
        out.printf(Locale.ROOT, "%s: %,d items, %,d users, %,d training positives%n", r.dataset(), r.items(), r.users(),
                r.trainingPositives());
        out.printf(Locale.ROOT, "pairs: %,d user-to-item (%,d from the previous item), %,d item-to-item; %,d items have Swing neighbours%n",
                r.pairs().userToItem(), r.pairs().sequentialFallbacks(), r.pairs().itemToItem(), r.pairs().itemsWithNeighbours());
        out.printf(Locale.ROOT, "encoder: %s, %,d steps, held-out pair recall@10 %.4f%n", r.encoder().kind(), r.encoder().steps(),
                r.encoder().heldOutRecallAt10());
        QuantizationReport a = r.quantization();
        QuantizationReport b = r.comparison();
        StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%-6s %-6s | %-30s", "level", "codes",
                a.method() + ": recon / util / entropy"));
        if (b != null) {
            head.append(String.format(Locale.ROOT, " | %-30s", b.method() + ": recon / util / entropy"));
        }
        out.println(head);
        for (int l = 0; l < a.levels().size(); l++) {
            LevelMetrics x = a.levels().get(l);
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-6d %-6d | %-30s", x.level(), x.codebookSize(), cell(x)));
            if (b != null) {
                row.append(String.format(Locale.ROOT, " | %-30s", cell(b.levels().get(l))));
            }
            out.println(row);
        }
        out.printf(Locale.ROOT, "(recon: unexplained share of the embeddings' energy with levels 1..l; util: codes used; "
                + "entropy in nats, max ln K = %.4f)%n", a.levels().get(0).maxEntropy());
        collisions(out, a);
        if (b != null) {
            collisions(out, b);
        }
        for (Map.Entry<String, CoConsumption> e : r.coConsumption().entrySet()) {
            CoConsumption c = e.getValue();
            out.printf(Locale.ROOT, "co-consumed pairs sharing the first token (%s, %,d pairs): %.2f%% vs %.2f%% for random "
                            + "pairs (%.1fx), %.2f%% for popularity-matched random pairs (%.1fx)%n", e.getKey(), c.pairs(),
                    100 * c.shared(), 100 * c.uniformShared(), c.ratio(), 100 * c.shuffledShared(), c.popularityMatchedRatio());
        }
    }

    private static String cell(LevelMetrics m) {
        return String.format(Locale.ROOT, "%.4f / %.4f / %.4f", m.reconstructionLoss(), m.utilization(), m.entropy());
    }

    private static void collisions(PrintStream out, QuantizationReport q) {
        StringBuilder kept = new StringBuilder();
        for (int d = q.keptPrefix().length - 1; d >= 0; d--) {
            if (q.keptPrefix()[d] > 0) {
                kept.append(kept.isEmpty() ? "" : ", ").append(q.keptPrefix()[d]).append(" kept ").append(d).append(" token(s)");
            }
        }
        out.printf(Locale.ROOT, "%s collisions before the rule: %,d items (%.2f%%); %,d moved to the nearest free ID%s; 0 after%n",
                q.method(), q.collidingItems(), 100 * q.collisionRate(), q.reassigned(), kept.isEmpty() ? "" : " (" + kept + ")");
    }
}
