package dev.onerec4j.engine.tokenizer.store;

import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ChronicleMapBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Creates and opens the persisted Chronicle Maps of a tokenizer folder. Turns off Chronicle's analytics before
 * the first map exists (by default it reports to an outside service) and explains the JVM flags it needs when
 * they are missing (the engine's launcher and the tests pass them; see the parent pom's
 * {@code onerec4j.jvmFlags}).
 */
final class ChronicleMaps {

    static {
        System.setProperty("chronicle.analytics.disable", "true");
        // SLF4J (pulled in by Chronicle) otherwise prints a three-line warning about missing providers.
        if (System.getProperty("slf4j.internal.verbosity") == null) {
            System.setProperty("slf4j.internal.verbosity", "ERROR");
        }
    }

    private ChronicleMaps() {
    }

    /** Applies the settings above; call before the first {@code ChronicleMap.of} (which initialises logging). */
    static void init() {
        // The static initialiser does the work; this method only forces it to run.
    }

    /** Creates the map file {@code file} (it must not exist) or opens it when it does, with its stored layout. */
    static <K, V> ChronicleMap<K, V> persisted(ChronicleMapBuilder<K, V> builder, Path file) {
        try {
            return builder.createPersistedTo(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot open the map (" + e.getMessage() + ")", e);
        } catch (RuntimeException | LinkageError e) {
            if (isMissingJvmFlag(e)) {
                throw new IllegalStateException("Chronicle Map needs the engine's JVM flags (--add-opens/--add-exports, "
                        + "including --add-exports jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED); run through "
                        + "engine.jar or pass the flags of the parent pom's onerec4j.jvmFlags", e);
            }
            throw e;
        }
    }

    private static boolean isMissingJvmFlag(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.lang.reflect.InaccessibleObjectException || t instanceof IllegalAccessException
                    || t instanceof IllegalAccessError) {
                return true;
            }
        }
        return false;
    }
}
