package dev.onerec4j.engine.data.io;

import java.util.List;

import org.eclipse.collections.impl.map.mutable.primitive.ObjectIntHashMap;

/** The column names of a delimited file's header line, looked up by name. */
public final class Header {

    private final String[] names;
    private final ObjectIntHashMap<String> index = new ObjectIntHashMap<>();
    private final LineSource source;

    /** Reads the header from the first line of {@code source}; an empty file is an error. */
    public static Header read(LineSource source, char separator, boolean csvQuoting) {
        String line = source.next();
        if (line == null) {
            throw new dev.onerec4j.engine.UserException(source.file() + ": the file is empty; expected a header line");
        }
        String[] fields = csvQuoting ? Fields.splitCsv(line, source) : Fields.split(line, separator);
        return new Header(fields, source);
    }

    private Header(String[] fields, LineSource source) {
        this.source = source;
        this.names = new String[fields.length];
        for (int i = 0; i < fields.length; i++) {
            names[i] = fields[i].strip();
            if (index.containsKey(names[i])) {
                throw source.error("expected distinct column names, but '" + names[i]
                        + "' appears twice in the header");
            }
            index.put(names[i], i);
        }
    }

    public int size() {
        return names.length;
    }

    public String name(int column) {
        return names[column];
    }

    public List<String> names() {
        return List.of(names);
    }

    /** The position of column {@code name}, or -1. */
    public int find(String name) {
        return index.getIfAbsent(name, -1);
    }

    /** The position of column {@code name}; a missing column is an error on the header line. */
    public int require(String name) {
        int i = find(name);
        if (i < 0) {
            throw new dev.onerec4j.engine.UserException(source.file() + ":1: expected a column '" + name
                    + "' in the header, found " + String.join(",", names));
        }
        return i;
    }

    /** Checks that a data line has exactly one field per header column. */
    public void checkWidth(String[] fields, String line) {
        if (fields.length != names.length) {
            throw source.error("expected " + names.length + " fields (" + String.join(",", names) + "), found "
                    + fields.length + ": \"" + LineSource.snippet(line) + "\"");
        }
    }
}
