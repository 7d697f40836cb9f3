package dev.onerec4j.engine.data.io;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.onerec4j.engine.UserException;

/**
 * Finds a data set's files. A file is looked up in the data directory itself and in its {@code original/},
 * {@code derived/} and {@code data/} subdirectories (the layouts of {@code /work/shared/data} and of the
 * public releases).
 */
public final class DataFiles {

    private static final String[] SUBDIRS = {"", "original", "derived", "data"};

    private DataFiles() {
    }

    /** Checks that {@code dir} is an existing directory. */
    public static Path requireDirectory(Path dir, String format) {
        if (!Files.exists(dir)) {
            throw new UserException(format + ": data directory " + dir + " does not exist");
        }
        if (!Files.isDirectory(dir)) {
            throw new UserException(format + ": " + dir + " is not a directory; expected the data set's directory");
        }
        return dir;
    }

    /** The directories searched for files of data set {@code dir}. */
    public static List<Path> searchPath(Path dir) {
        List<Path> dirs = new ArrayList<>();
        for (String sub : SUBDIRS) {
            Path d = sub.isEmpty() ? dir : dir.resolve(sub);
            if (Files.isDirectory(d)) {
                dirs.add(d);
            }
        }
        return dirs;
    }

    /** The first of {@code name} found on the search path, or {@code null}. */
    public static Path find(Path dir, String name) {
        for (Path d : searchPath(dir)) {
            Path f = d.resolve(name);
            if (Files.isRegularFile(f)) {
                return f;
            }
        }
        return null;
    }

    /** Like {@link #find} but a missing file is a {@link UserException} saying where it was looked for. */
    public static Path require(Path dir, String name, String format) {
        Path f = find(dir, name);
        if (f == null) {
            throw new UserException(format + ": missing " + name + " (looked in " + dir
                    + " and its original/, derived/ and data/ subdirectories)");
        }
        return f;
    }
}
