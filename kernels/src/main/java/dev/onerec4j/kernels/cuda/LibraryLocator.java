package dev.onerec4j.kernels.cuda;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds the shared libraries of the CUDA stack. For a library with base name {@code libnvrtc.so} it looks, in
 * order, in the directories of the system property {@code onerec4j.cuda.libDir} (a path list), of
 * {@code CUDA_HOME} / {@code CUDA_PATH} ({@code targets/x86_64-linux/lib} and {@code lib64}), of
 * {@code /usr/local/cuda}, of {@code LD_LIBRARY_PATH} and of the distribution's library folders, and in each
 * directory takes the preferred versioned name (e.g. {@code libnvrtc.so.13}) or else the highest
 * {@code libnvrtc.so.N} there. When no directory holds it, the bare preferred name is left to the dynamic
 * loader's own search ({@link #dynamicLoaderNames}).
 */
public final class LibraryLocator {

    private final List<Path> directories;

    public LibraryLocator(List<Path> directories) {
        this.directories = List.copyOf(directories);
    }

    /** The locator for this process: directories from system properties and the environment. */
    public static LibraryLocator fromEnvironment() {
        return new LibraryLocator(defaultDirectories(System.getProperty("onerec4j.cuda.libDir"), System.getenv()));
    }

    static List<Path> defaultDirectories(String propertyDirs, Map<String, String> env) {
        LinkedHashSet<String> dirs = new LinkedHashSet<>();
        addPathList(dirs, propertyDirs);
        for (String var : new String[] {"CUDA_HOME", "CUDA_PATH"}) {
            String home = env.get(var);
            if (home != null && !home.isBlank()) {
                dirs.add(home + "/targets/x86_64-linux/lib");
                dirs.add(home + "/lib64");
                dirs.add(home + "/lib");
            }
        }
        dirs.add("/usr/local/cuda/targets/x86_64-linux/lib");
        dirs.add("/usr/local/cuda/lib64");
        addPathList(dirs, env.get("LD_LIBRARY_PATH"));
        dirs.add("/usr/lib/x86_64-linux-gnu");
        dirs.add("/usr/lib64");
        dirs.add("/usr/lib/x86_64-linux-gnu/nvidia/current");
        dirs.add("/usr/local/nvidia/lib64");
        List<Path> out = new ArrayList<>();
        for (String d : dirs) {
            out.add(Path.of(d));
        }
        return out;
    }

    private static void addPathList(LinkedHashSet<String> dirs, String list) {
        if (list == null) {
            return;
        }
        for (String d : list.split(File.pathSeparator)) {
            if (!d.isBlank()) {
                dirs.add(d.trim());
            }
        }
    }

    public List<Path> directories() {
        return directories;
    }

    /**
     * The file of library {@code baseName} (e.g. {@code libnvrtc.so}) in the first directory that has one:
     * one of {@code preferredVersions} (in order) if present there, else the highest numbered version.
     */
    public Optional<Path> find(String baseName, String... preferredVersions) {
        for (Path dir : directories) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            for (String v : preferredVersions) {
                Path p = dir.resolve(v.isEmpty() ? baseName : baseName + "." + v);
                if (Files.isRegularFile(p)) {
                    return Optional.of(p);
                }
            }
            Optional<Path> any = highestVersion(dir, baseName);
            if (any.isPresent()) {
                return any;
            }
        }
        return Optional.empty();
    }

    /** The highest {@code baseName.N[.M...]} in {@code dir} by numeric version. */
    static Optional<Path> highestVersion(Path dir, String baseName) {
        Pattern p = Pattern.compile(Pattern.quote(baseName) + "\\.(\\d+(?:\\.\\d+)*)");
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> p.matcher(f.getFileName().toString()).matches())
                    .max(Comparator.comparing(f -> version(p, f), LibraryLocator::compareVersions));
        } catch (IOException | SecurityException e) {
            return Optional.empty();
        }
    }

    private static int[] version(Pattern p, Path f) {
        Matcher m = p.matcher(f.getFileName().toString());
        if (!m.matches()) {
            return new int[0];
        }
        String[] parts = m.group(1).split("\\.");
        int[] v = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                v[i] = Integer.parseInt(parts[i]);
            } catch (NumberFormatException e) {
                v[i] = 0;
            }
        }
        return v;
    }

    static int compareVersions(int[] a, int[] b) {
        for (int i = 0; i < Math.max(a.length, b.length); i++) {
            int x = i < a.length ? a[i] : -1;
            int y = i < b.length ? b[i] : -1;
            if (x != y) {
                return Integer.compare(x, y);
            }
        }
        return 0;
    }

    /** The names to hand to the dynamic loader when no directory holds the library. */
    public static List<String> dynamicLoaderNames(String baseName, String... preferredVersions) {
        List<String> names = new ArrayList<>();
        for (String v : preferredVersions) {
            names.add(v.isEmpty() ? baseName : baseName + "." + v);
        }
        return names;
    }
}
