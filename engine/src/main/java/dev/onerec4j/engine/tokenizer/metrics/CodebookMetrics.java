package dev.onerec4j.engine.tokenizer.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/** Computes {@link LevelMetrics} for a set of semantic IDs. */
public final class CodebookMetrics {

    private CodebookMetrics() {
    }

    /**
     * @param x           the vectors, row-major {@code [n, d]}
     * @param codes       their IDs, row-major {@code [n, levels]}
     * @param sizes       the codebook size of each level
     * @param reconstruct {@code reconstruct.apply(l)}: the vectors rebuilt from the first {@code l} levels,
     *                    {@code [n, d]}
     */
    public static List<LevelMetrics> measure(float[] x, int n, int d, int[] codes, int[] sizes,
                                             IntFunction<float[]> reconstruct) {
        int levels = sizes.length;
        double energy = 0;
        for (int i = 0; i < n * d; i++) {
            energy += (double) x[i] * x[i];
        }
        List<LevelMetrics> out = new ArrayList<>();
        for (int l = 0; l < levels; l++) {
            float[] rec = reconstruct.apply(l + 1);
            double err = 0;
            for (int i = 0; i < n * d; i++) {
                double e = (double) x[i] - rec[i];
                err += e * e;
            }
            int[] counts = usage(codes, n, levels, l, sizes[l]);
            int used = 0;
            for (int c : counts) {
                if (c > 0) {
                    used++;
                }
            }
            out.add(new LevelMetrics(l + 1, sizes[l], energy == 0 ? 0 : err / energy, used,
                    (double) used / sizes[l], entropy(counts, n), Math.log(sizes[l])));
        }
        return out;
    }

    /** How many items use each code of {@code level}. */
    public static int[] usage(int[] codes, int n, int levels, int level, int size) {
        int[] counts = new int[size];
        for (int i = 0; i < n; i++) {
            counts[codes[i * levels + level]]++;
        }
        return counts;
    }

    /** Shannon entropy (nats) of the distribution {@code counts / total}. */
    public static double entropy(int[] counts, int total) {
        double h = 0;
        for (int c : counts) {
            if (c > 0) {
                double p = (double) c / total;
                h -= p * Math.log(p);
            }
        }
        return h;
    }
}
