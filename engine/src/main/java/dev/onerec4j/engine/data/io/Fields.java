package dev.onerec4j.engine.data.io;

import java.util.ArrayList;
import java.util.List;

/** Splits a line into fields without regular expressions; empty fields (also trailing ones) are kept. */
public final class Fields {

    private Fields() {
    }

    /** Splits on every occurrence of {@code separator}. */
    public static String[] split(String line, char separator) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < line.length(); i++) {
            if (line.charAt(i) == separator) {
                out.add(line.substring(start, i));
                start = i + 1;
            }
        }
        out.add(line.substring(start));
        return out.toArray(new String[0]);
    }

    /** Splits on every occurrence of the string {@code separator} (e.g. MovieLens' {@code ::}). */
    public static String[] split(String line, String separator) {
        List<String> out = new ArrayList<>();
        int start = 0;
        int at;
        while ((at = line.indexOf(separator, start)) >= 0) {
            out.add(line.substring(start, at));
            start = at + separator.length();
        }
        out.add(line.substring(start));
        return out.toArray(new String[0]);
    }

    /** Splits on runs of spaces and tabs, ignoring leading and trailing blanks. */
    public static String[] splitBlanks(String line) {
        List<String> out = new ArrayList<>();
        int n = line.length();
        int i = 0;
        while (i < n) {
            while (i < n && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
                i++;
            }
            int start = i;
            while (i < n && line.charAt(i) != ' ' && line.charAt(i) != '\t') {
                i++;
            }
            if (i > start) {
                out.add(line.substring(start, i));
            }
        }
        return out.toArray(new String[0]);
    }

    /**
     * Splits one line of comma-separated values (RFC 4180 quoting: a field in double quotes may hold commas,
     * and {@code ""} inside it is one quote). A record must fit on one line.
     */
    public static String[] splitCsv(String line, LineSource source) {
        List<String> out = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int n = line.length();
        int i = 0;
        while (true) {
            field.setLength(0);
            if (i < n && line.charAt(i) == '"') {
                i++;
                while (true) {
                    if (i >= n) {
                        throw source.error("a closing double quote (a quoted field must end on the same line)",
                                line);
                    }
                    char c = line.charAt(i);
                    if (c == '"') {
                        if (i + 1 < n && line.charAt(i + 1) == '"') {
                            field.append('"');
                            i += 2;
                        } else {
                            i++;
                            break;
                        }
                    } else {
                        field.append(c);
                        i++;
                    }
                }
                if (i < n && line.charAt(i) != ',') {
                    throw source.error("a comma after a closing double quote", line);
                }
            } else {
                while (i < n && line.charAt(i) != ',') {
                    field.append(line.charAt(i));
                    i++;
                }
            }
            out.add(field.toString());
            if (i >= n) {
                return out.toArray(new String[0]);
            }
            i++; // the comma
        }
    }

    /** Quotes a value for a csv file when it needs it (comma, quote, leading/trailing blank). */
    public static String csvQuote(String value) {
        boolean needs = value.indexOf(',') >= 0 || value.indexOf('"') >= 0
                || (!value.isEmpty() && (value.charAt(0) == ' ' || value.charAt(value.length() - 1) == ' '));
        if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("a csv value cannot contain a line break: " + value);
        }
        return needs ? '"' + value.replace("\"", "\"\"") + '"' : value;
    }
}
