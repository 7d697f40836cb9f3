package dev.onerec4j.engine.train;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The CSV training log: one row per logging interval (loss, learning rate, gradient norm, throughput, MoE load
 * imbalance) and one per validation. On resume, rows after the checkpoint's step are dropped first, so the log
 * reads as one uninterrupted run.
 */
public final class TrainLog implements AutoCloseable {

    static final String HEADER = "step,epoch,loss,lr,grad_norm,samples_per_s,tokens_per_s,elapsed_s,"
            + "moe_imbalance,moe_max_load,moe_min_load,val_recall@10,val_ndcg@10";

    /** One row; NaN fields are written empty. */
    public record Row(long step, double epoch, double loss, double lr, double gradNorm, double samplesPerSecond,
                      double tokensPerSecond, double elapsedSeconds, double moeImbalance, double moeMaxLoad,
                      double moeMinLoad, double valRecall, double valNdcg) {
    }

    private final Path path;
    private final BufferedWriter out;
    private final List<Row> rows = new ArrayList<>();

    /** Opens the log, keeping rows up to {@code keepThroughStep} of an existing file (-1 = start afresh). */
    public TrainLog(Path path, long keepThroughStep) {
        this.path = path;
        try {
            List<String> kept = new ArrayList<>();
            if (keepThroughStep >= 0 && Files.isRegularFile(path)) {
                for (String line : Files.readAllLines(path, StandardCharsets.UTF_8)) {
                    if (line.startsWith("step") || line.isBlank()) {
                        continue;
                    }
                    Row r = parse(line);
                    if (r.step <= keepThroughStep) {
                        kept.add(line);
                        rows.add(r);
                    }
                }
            }
            List<String> content = new ArrayList<>();
            content.add(HEADER);
            content.addAll(kept);
            AtomicFiles.writeString(path, String.join("\n", content) + "\n");
            this.out = Files.newBufferedWriter(path, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the training log " + path + ": " + e.getMessage(), e);
        }
    }

    public synchronized void append(Row r) {
        rows.add(r);
        try {
            out.write(format(r));
            out.newLine();
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + path + ": " + e.getMessage(), e);
        }
    }

    public synchronized List<Row> rows() {
        return List.copyOf(rows);
    }

    static String format(Row r) {
        return String.join(",", Long.toString(r.step), num(r.epoch), num(r.loss), num(r.lr), num(r.gradNorm),
                num(r.samplesPerSecond), num(r.tokensPerSecond), num(r.elapsedSeconds), num(r.moeImbalance),
                num(r.moeMaxLoad), num(r.moeMinLoad), num(r.valRecall), num(r.valNdcg));
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6g", v);
    }

    static Row parse(String line) {
        String[] f = line.split(",", -1);
        double[] v = new double[13];
        for (int i = 1; i < 13 && i < f.length; i++) {
            v[i] = f[i].isEmpty() ? Double.NaN : Double.parseDouble(f[i]);
        }
        return new Row(Long.parseLong(f[0]), v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12]);
    }

    @Override
    public synchronized void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
