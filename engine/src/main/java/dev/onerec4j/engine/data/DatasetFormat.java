package dev.onerec4j.engine.data;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import dev.onerec4j.engine.UserException;
import dev.onerec4j.engine.data.read.AmazonReader;
import dev.onerec4j.engine.data.read.CsvDatasetReader;
import dev.onerec4j.engine.data.read.KuaiRandReader;
import dev.onerec4j.engine.data.read.MovieLens100kReader;
import dev.onerec4j.engine.data.read.MovieLens1mReader;

/** The data set formats the engine reads; see {@code docs/data-formats.md}. */
public enum DatasetFormat {
    /** Amazon 2014 5-core in the S3-Rec/SASRec sequence layout ({@code <Name>.txt} + optional derived tsv). */
    AMAZON("amazon", AmazonReader::new),
    /** MovieLens 1M: {@code ratings.dat}, {@code movies.dat}, {@code users.dat}. */
    ML_1M("ml-1m", MovieLens1mReader::new),
    /** MovieLens 100K: {@code u.data}, {@code u.item}, {@code u.user}. */
    ML_100K("ml-100k", MovieLens100kReader::new),
    /** KuaiRand logs with the video and user feature tables. */
    KUAIRAND("kuairand", KuaiRandReader::new),
    /** The engine's generic directory format: {@code interactions.csv} [+ {@code items.csv}, {@code users.csv}]. */
    CSV("csv", CsvDatasetReader::new);

    private final String id;
    private final Supplier<DatasetReader> reader;

    DatasetFormat(String id, Supplier<DatasetReader> reader) {
        this.id = id;
        this.reader = reader;
    }

    /** The name used on the command line ({@code --format amazon}). */
    public String id() {
        return id;
    }

    public DatasetReader reader() {
        return reader.get();
    }

    /** Reads the data set at {@code path} in this format. */
    public Dataset read(Path path) {
        return reader().read(path);
    }

    /** The format called {@code name} (case-insensitive); the error lists the accepted names. */
    public static DatasetFormat parse(String name) {
        String wanted = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
        for (DatasetFormat f : values()) {
            if (f.id.equals(wanted)) {
                return f;
            }
        }
        throw new UserException("unknown data set format '" + name + "'; expected one of: " + names());
    }

    /** The accepted names, comma-separated. */
    public static String names() {
        return Arrays.stream(values()).map(DatasetFormat::id).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return id;
    }
}
