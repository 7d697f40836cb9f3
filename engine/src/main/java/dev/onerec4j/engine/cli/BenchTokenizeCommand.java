package dev.onerec4j.engine.cli;

import dev.onerec4j.engine.UserException;
import dev.onerec4j.engine.data.Dataset;
import dev.onerec4j.engine.data.DatasetFormat;
import dev.onerec4j.engine.tokenizer.Progress;
import dev.onerec4j.engine.tokenizer.TokenizerPipeline;
import dev.onerec4j.engine.tokenizer.TokenizerSettings;
import dev.onerec4j.engine.tokenizer.quant.KMeansSettings;
import dev.onerec4j.engine.tokenizer.quant.RqKmeans;
import dev.onerec4j.engine.tokenizer.store.TokenizerFolder;
import dev.onerec4j.engine.tokenizer.store.TokenizerWriter;
import dev.onerec4j.kernels.Parallel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * {@code bench tokenize}: RQ-Kmeans on generated vectors (after a warm-up run on a tenth of them), and
 * optionally the whole {@code tokenize} of a data set (pipeline plus writing the folder). Reports medians.
 */
@Command(name = "tokenize", description = {
        "RQ-Kmeans on generated vectors (a Gaussian mixture), and optionally the whole tokenize of a data set.",
        "Reports the median of --repeats runs after a warm-up run on a tenth of the vectors."})
public final class BenchTokenizeCommand implements Runnable {

    @Option(names = "--items", defaultValue = "1000000", description = "Vectors (default ${DEFAULT-VALUE}).")
    int items;

    @Option(names = "--dim", defaultValue = "64", description = "Vector width (default ${DEFAULT-VALUE}).")
    int dim;

    @Option(names = "--levels", defaultValue = "3", description = "Levels (default ${DEFAULT-VALUE}).")
    int levels;

    @Option(names = "--codebook", defaultValue = "256", description = "Codes per level (default ${DEFAULT-VALUE}).")
    int codebook;

    @Option(names = "--balanced", description = "Balanced assignment.")
    boolean balanced;

    @Option(names = "--repeats", defaultValue = "3", description = "Timed runs (default ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--data", paramLabel = "DIR", description = "Also time the whole tokenize of this data set.")
    Path data;

    @Option(names = "--format", description = "Format of --data.")
    String format;

    @Option(names = "--data-repeats", defaultValue = "1", description = "Timed tokenize runs of --data (default ${DEFAULT-VALUE}).")
    int dataRepeats;

    @Override
    public void run() {
        if (items < codebook || dim < 1 || levels < 1 || codebook < 2 || repeats < 1 || dataRepeats < 1) {
            throw new UserException("bench tokenize: need --items >= --codebook >= 2, --dim, --levels, --repeats >= 1");
        }
        if (data != null && format == null) {
            throw new UserException("bench tokenize: --data needs --format (one of " + DatasetFormat.names() + ")");
        }
        System.out.printf(Locale.ROOT, "threads: %d, rq-kmeans: %,d x %d vectors, %d levels x %d codes%s%n",
                Parallel.threads(), items, dim, levels, codebook, balanced ? ", balanced" : "");
        int[] sizes = new int[levels];
        Arrays.fill(sizes, codebook);
        KMeansSettings s = KMeansSettings.defaults().withCapacityFactor(balanced ? 1.0 : 0);
        float[] warm = mixture(Math.max(codebook, items / 10), dim, 1);
        RqKmeans.fit(warm, warm.length / dim, dim, sizes, s, 1, Progress.NONE);
        float[] x = mixture(items, dim, 2);
        double[] secs = new double[repeats];
        for (int r = 0; r < repeats; r++) {
            long t0 = System.nanoTime();
            RqKmeans.fit(x, items, dim, sizes, s, 3 + r, Progress.NONE);
            secs[r] = (System.nanoTime() - t0) / 1e9;
            System.out.printf(Locale.ROOT, "  run %d: %.2f s%n", r + 1, secs[r]);
        }
        System.out.printf(Locale.ROOT, "rq-kmeans median: %.2f s%n", median(secs));
        if (data != null) {
            benchTokenize();
        }
    }

    private void benchTokenize() {
        Dataset ds = DatasetFormat.parse(format).read(data);
        double[] secs = new double[dataRepeats];
        for (int r = 0; r < dataRepeats; r++) {
            Path out;
            try {
                out = Files.createTempDirectory("bench-tokenize").resolve("tok");
            } catch (IOException e) {
                throw new UserException("bench tokenize: cannot create a temporary folder: " + e.getMessage());
            }
            long t0 = System.nanoTime();
            TokenizerPipeline.Built b = TokenizerPipeline.build(ds, TokenizerSettings.defaults(42), false, Progress.NONE);
            TokenizerWriter.write(out, b, false);
            secs[r] = (System.nanoTime() - t0) / 1e9;
            System.out.printf(Locale.ROOT, "  tokenize %s run %d: %.1f s (%s)%n", ds.name(), r + 1, secs[r],
                    b.report().seconds());
            try {
                TokenizerFolder.deleteRecursively(out.getParent());
            } catch (IOException e) {
                System.err.println("warning: could not delete " + out.getParent());
            }
        }
        System.out.printf(Locale.ROOT, "tokenize %s (%,d items) median: %.1f s (data already read)%n", ds.name(),
                ds.numItems(), median(secs));
    }

    /** {@code n} vectors from 1,000 Gaussian clusters (unit-variance centres, spread 0.3). */
    static float[] mixture(int n, int d, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int clusters = 1000;
        float[] centres = new float[clusters * d];
        for (int i = 0; i < centres.length; i++) {
            centres[i] = (float) r.nextGaussian();
        }
        float[] x = new float[n * d];
        for (int i = 0; i < n; i++) {
            int c = r.nextInt(clusters);
            for (int j = 0; j < d; j++) {
                x[i * d + j] = centres[c * d + j] + (float) (0.3 * r.nextGaussian());
            }
        }
        return x;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : 0.5 * (s[s.length / 2 - 1] + s[s.length / 2]);
    }
}
