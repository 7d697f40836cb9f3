package dev.onerec4j.engine.data;

import java.nio.file.Path;

/**
 * Reads one data set format. Reading never writes anything; every problem a user can cause (missing or
 * unreadable file, malformed line, wrong column count, non-numeric field, empty data set) is a one-line
 * {@link dev.onerec4j.engine.UserException} naming the file and, where there is one, the line.
 */
public interface DatasetReader {

    /** Reads the data set at {@code path} (a directory, or for some formats the main file). */
    Dataset read(Path path);
}
