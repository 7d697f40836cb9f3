package dev.onerec4j.engine.align;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@code align.csv}: one row per logged step of preference alignment (means over the log interval). */
final class AlignLog implements AutoCloseable {

    static final String HEADER = "step,lr,sft_loss,rl_objective,mean_reward,clipped_share,mean_ratio,grad_norm,"
            + "format_legality,suppressed_share,policy_lag,seconds";

    /** One logged row. */
    record Row(long step, double lr, double sftLoss, double rlObjective, double meanReward, double clippedShare,
               double meanRatio, double gradNorm, double formatLegality, double suppressedShare, double policyLag,
               double seconds) {

        String csv() {
            return String.format(Locale.ROOT, "%d,%.6g,%.6f,%.6f,%.6f,%.4f,%.4f,%.4f,%.4f,%.4f,%.1f,%.2f", step, lr,
                    sftLoss, rlObjective, meanReward, clippedShare, meanRatio, gradNorm, formatLegality,
                    suppressedShare, policyLag, seconds);
        }
    }

    private final BufferedWriter writer;
    private final List<Row> rows = new ArrayList<>();

    AlignLog(Path file) {
        try {
            writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
            writer.write(HEADER);
            writer.newLine();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    void append(Row row) {
        rows.add(row);
        try {
            writer.write(row.csv());
            writer.newLine();
            writer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to the alignment log: " + e.getMessage(), e);
        }
    }

    List<Row> rows() {
        return List.copyOf(rows);
    }

    @Override
    public void close() {
        try {
            writer.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
