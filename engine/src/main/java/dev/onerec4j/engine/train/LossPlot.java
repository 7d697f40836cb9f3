package dev.onerec4j.engine.train;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Draws the training loss (and validation Recall@10, on a second axis) against the step as a PNG. */
public final class LossPlot {

    private LossPlot() {
    }

    public static void write(Path png, List<TrainLog.Row> rows, String title) {
        List<Double> steps = new ArrayList<>();
        List<Double> losses = new ArrayList<>();
        List<Double> valSteps = new ArrayList<>();
        List<Double> recalls = new ArrayList<>();
        for (TrainLog.Row r : rows) {
            if (!Double.isNaN(r.loss())) {
                steps.add((double) r.step());
                losses.add(r.loss());
            }
            if (!Double.isNaN(r.valRecall())) {
                valSteps.add((double) r.step());
                recalls.add(r.valRecall());
            }
        }
        if (steps.isEmpty()) {
            return;
        }
        XYChart chart = new XYChartBuilder().width(900).height(500).title(title).xAxisTitle("step")
                .yAxisTitle("loss").build();
        chart.setYAxisGroupTitle(0, "training loss");
        XYSeries loss = chart.addSeries("training loss", steps, losses);
        loss.setMarker(SeriesMarkers.NONE);
        if (!valSteps.isEmpty()) {
            XYSeries val = chart.addSeries("validation Recall@10", valSteps, recalls);
            val.setYAxisGroup(1);
            chart.setYAxisGroupTitle(1, "validation Recall@10");
        }
        try {
            Path tmp = Files.createTempFile(png.toAbsolutePath().getParent(), "loss", ".png");
            try {
                BitmapEncoder.saveBitmap(chart, tmp.toString(), BitmapEncoder.BitmapFormat.PNG);
                AtomicFiles.move(tmp, png);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the loss plot " + png + ": " + e.getMessage(), e);
        }
    }
}
