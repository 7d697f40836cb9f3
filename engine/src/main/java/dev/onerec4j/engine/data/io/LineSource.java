package dev.onerec4j.engine.data.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

import dev.onerec4j.engine.UserException;

/**
 * Reads a text file line by line, counting lines, and turns every problem into a one-line
 * {@link UserException} that names the file and the line: {@code file:12: expected ..., found "..."}.
 * Lines end at {@code \n} (a preceding {@code \r} is dropped). Each line is decoded on its own, so text that is
 * not valid in the file's character set is reported on the line where it occurs.
 */
public final class LineSource implements AutoCloseable {

    private static final int SNIPPET = 80;

    private final Path file;
    private final InputStream in;
    private final Charset charset;
    private final CharsetDecoder decoder;
    private final byte[] buffer = new byte[1 << 16];
    private int bufferPos;
    private int bufferEnd;
    private byte[] line = new byte[256];
    private int lineNumber;

    private LineSource(Path file, InputStream in, Charset charset) {
        this.file = file;
        this.in = in;
        this.charset = charset;
        this.decoder = charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
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
            return new LineSource(file, Files.newInputStream(file), charset);
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
        int length = 0;
        boolean newline = false;
        while (!newline) {
            if (bufferPos == bufferEnd && !fill()) {
                break;
            }
            int end = bufferPos;
            while (end < bufferEnd && buffer[end] != '\n') {
                end++;
            }
            int n = end - bufferPos;
            if (length + n > line.length) {
                line = Arrays.copyOf(line, Math.max(line.length * 2, length + n));
            }
            System.arraycopy(buffer, bufferPos, line, length, n);
            length += n;
            newline = end < bufferEnd;
            bufferPos = newline ? end + 1 : end;
        }
        if (!newline && length == 0) {
            return null;
        }
        lineNumber++;
        if (length > 0 && line[length - 1] == '\r') {
            length--;
        }
        String text = decode(length);
        if (lineNumber == 1 && !text.isEmpty() && text.charAt(0) == '\uFEFF') {
            text = text.substring(1); // byte-order mark
        }
        return text;
    }

    /** Refills the buffer; false at the end of the file. */
    private boolean fill() {
        try {
            int n = in.read(buffer, 0, buffer.length);
            bufferPos = 0;
            bufferEnd = Math.max(n, 0);
            return n > 0;
        } catch (IOException e) {
            throw new UserException("cannot read " + file + " at line " + (lineNumber + 1) + ": " + e.getMessage(), e);
        }
    }

    private String decode(int length) {
        boolean ascii = true;
        for (int k = 0; k < length && ascii; k++) {
            ascii = line[k] >= 0;
        }
        if (ascii || charset.equals(StandardCharsets.ISO_8859_1)) {
            return new String(line, 0, length, StandardCharsets.ISO_8859_1);
        }
        try {
            return decoder.reset().decode(ByteBuffer.wrap(line, 0, length)).toString();
        } catch (CharacterCodingException e) {
            throw new UserException(file + ":" + lineNumber + ": expected text in " + charset.name()
                    + ", found bytes that are not valid " + charset.name(), e);
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
            in.close();
        } catch (IOException e) {
            throw new UserException("cannot close " + file + ": " + e.getMessage(), e);
        }
    }
}
