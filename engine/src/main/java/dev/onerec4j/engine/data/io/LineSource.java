package dev.onerec4j.engine.data.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.io.InputStreamReader;

import dev.onerec4j.engine.UserException;

/**
 * Reads a text file line by line, counting lines, and turns every problem into a one-line
 * {@link UserException} that names the file and the line: {@code file:12: expected ..., found "..."}.
 */
public final class LineSource implements AutoCloseable {

    private static final int SNIPPET = 80;

    private final Path file;
    private final BufferedReader reader;
    private int lineNumber;

    private LineSource(Path file, BufferedReader reader) {
        this.file = file;
        this.reader = reader;
    }

    /** Opens {@code file}; decoding errors are reported (malformed input is never replaced silently). */
    public static LineSource open(Path file, Charset charset) {
        if (!Files.exists(file)) {
            throw new UserException("missing file " + file);
        }
        if (Files.isDirectory(file)) {
            throw new UserException(file + " is a directory; expected a file");
        }
        try {
            var decoder = charset.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT);
            return new LineSource(file, new BufferedReader(
                    new InputStreamReader(Files.newInputStream(file), decoder), 1 << 16));
        } catch (NoSuchFileException e) {
            throw new UserException("missing file " + file, e);
        } catch (IOException e) {
            throw new UserException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    public Path file() {
        return file;
    }

    /** The number of the line last returned by {@link #next()} (1-based). */
    public int lineNumber() {
        return lineNumber;
    }

    /** The next line without its terminator, or {@code null} at the end of the file. */
    public String next() {
        try {
            String line = reader.readLine();
            if (line != null) {
                lineNumber++;
                if (lineNumber == 1 && !line.isEmpty() && line.charAt(0) == '\uFEFF') {
                    line = line.substring(1); // byte-order mark
                }
            }
            return line;
        } catch (CharacterCodingException e) {
            throw new UserException(file + ":" + (lineNumber + 1) + ": cannot decode the text (expected "
                    + "a file in the documented character set)", e);
        } catch (IOException | UncheckedIOException e) {
            throw new UserException("cannot read " + file + " near line " + (lineNumber + 1) + ": "
                    + e.getMessage(), e);
        }
    }

    /** An error on the current line: {@code file:line: expected <expected>, found "<line>"}. */
    public UserException error(String expected, String found) {
        return new UserException(file + ":" + lineNumber + ": expected " + expected + ", found \""
                + snippet(found) + "\"");
    }

    /** An error on the current line with a free-form message: {@code file:line: <message>}. */
    public UserException error(String message) {
        return new UserException(file + ":" + lineNumber + ": " + message);
    }

    /** Parses an integer field, naming {@code what} in the error. */
    public int parseInt(String field, String what) {
        try {
            return Integer.parseInt(field.strip());
        } catch (NumberFormatException e) {
            throw error(what + " (an integer)", field);
        }
    }

    /** Parses a long field, naming {@code what} in the error. */
    public long parseLong(String field, String what) {
        try {
            return Long.parseLong(field.strip());
        } catch (NumberFormatException e) {
            // Accept integral values written as decimals (e.g. pandas writes 1650485801301.0).
            try {
                double d = Double.parseDouble(field.strip());
                if (d == Math.rint(d) && Math.abs(d) < 9.0e15) {
                    return (long) d;
                }
            } catch (NumberFormatException ignored) {
                // fall through to the error below
            }
            throw error(what + " (an integer)", field);
        }
    }

    /** Parses a number field; an empty field (or NaN) gives NaN. */
    public float parseFloatOrNaN(String field, String what) {
        String s = field.strip();
        if (s.isEmpty() || s.equalsIgnoreCase("nan")) {
            return Float.NaN;
        }
        try {
            float v = Float.parseFloat(s);
            if (Float.isInfinite(v)) {
                throw error(what + " (a finite number)", field);
            }
            return v;
        } catch (NumberFormatException e) {
            throw error(what + " (a number)", field);
        }
    }

    /** {@code s} on one line, cut to a readable length. */
    public static String snippet(String s) {
        String oneLine = s.replace("\t", "\\t").replace("\r", "\\r").replace("\n", "\\n");
        return oneLine.length() <= SNIPPET ? oneLine : oneLine.substring(0, SNIPPET) + "...";
    }

    @Override
    public void close() {
        try {
            reader.close();
        } catch (IOException e) {
            throw new UserException("cannot close " + file + ": " + e.getMessage(), e);
        }
    }
}
