package dev.onerec4j.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/** Version and the JVM flags the engine needs, written into the jar at build time from the parent pom. */
public final class BuildInfo {

    private static final Properties PROPS = load();

    private BuildInfo() {
    }

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("build.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    public static String version() {
        return PROPS.getProperty("version", "unknown");
    }

    /** The flags every engine JVM runs with: the Vector API module, native access, and library opens. */
    public static List<String> jvmFlags() {
        String flags = PROPS.getProperty("jvmFlags", "--add-modules jdk.incubator.vector");
        return Arrays.stream(flags.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
    }
}
