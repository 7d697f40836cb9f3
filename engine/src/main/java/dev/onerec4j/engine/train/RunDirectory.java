package dev.onerec4j.engine.train;

import dev.onerec4j.engine.UserException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The layout of a run folder: {@code run.json} (what was trained on what), {@code tokenizer/}, {@code checkpoints/}
 * (periodic, for resume), {@code best/} (the model with the best validation Recall@10), {@code catalog.json} (what
 * serving needs of the training data), {@code train.csv}, {@code loss.png} and evaluation reports. Everything in it
 * is written atomically (temporary name, then rename).
 */
public record RunDirectory(Path root) {

    public static RunDirectory create(Path root) {
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UserException("cannot create run folder " + root + ": " + e.getMessage());
        }
        return new RunDirectory(root);
    }

    /** An existing run folder (with its {@code run.json}). */
    public static RunDirectory open(Path root) {
        RunDirectory run = new RunDirectory(root);
        if (!Files.isRegularFile(run.runFile())) {
            throw new UserException(root + " is not a run folder (no run.json): pass the --out folder of a train run");
        }
        return run;
    }

    public Path runFile() {
        return root.resolve("run.json");
    }

    /** What serving needs from the training data ({@link RunCatalog}). */
    public Path catalog() {
        return root.resolve(RunCatalog.FILE);
    }

    public Path tokenizer() {
        return root.resolve("tokenizer");
    }

    public Path checkpoints() {
        return root.resolve("checkpoints");
    }

    public Path best() {
        return root.resolve("best");
    }

    public Path trainLog() {
        return root.resolve("train.csv");
    }

    public Path lossPlot() {
        return root.resolve("loss.png");
    }

    public Path evalReport(String split) {
        return root.resolve("eval-" + split + ".json");
    }

    public Path data() {
        return root.resolve("data");
    }
}
