package dev.onerec4j.engine.tokenizer.metrics;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A PNG of per-level code usage: for each level, the number of items per code, codes sorted from most to least
 * used (a flat line is a balanced codebook; a line that drops to zero has unused codes).
 */
public final class CodeUsageChart {

    private CodeUsageChart() {
    }

    /** Writes the chart of {@code codes} ({@code [n, levels]}) to {@code file} (a {@code .png}). */
    public static void write(Path file, String title, int[] codes, int n, int[] sizes) {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        XYChart chart = new XYChartBuilder().width(900).height(500).title(title)
                .xAxisTitle("code rank (most used first)").yAxisTitle("items").build();
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        for (int l = 0; l < sizes.length; l++) {
            int[] counts = CodebookMetrics.usage(codes, n, sizes.length, l, sizes[l]);
            Arrays.sort(counts);
            double[] x = new double[counts.length];
            double[] y = new double[counts.length];
            for (int r = 0; r < counts.length; r++) {
                x[r] = r + 1;
                y[r] = counts[counts.length - 1 - r];
            }
            chart.addSeries("level " + (l + 1) + " (" + sizes[l] + " codes)", x, y).setMarker(SeriesMarkers.NONE);
        }
        String path = file.toString();
        String base = path.endsWith(".png") ? path.substring(0, path.length() - 4) : path;
        try {
            BitmapEncoder.saveBitmap(chart, base, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot write the chart (" + e.getMessage() + ")", e);
        }
    }
}
