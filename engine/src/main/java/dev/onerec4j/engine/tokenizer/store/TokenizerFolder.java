package dev.onerec4j.engine.tokenizer.store;

import dev.onerec4j.engine.UserException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The files of a tokenizer folder, and writing one so that a failed run never leaves a partial folder: everything
 * is written into a hidden temporary folder next to the target, which is renamed into place only when complete
 * (an existing folder is replaced only with {@code overwrite}, and only after the new one is complete).
 */
public final class TokenizerFolder {

    public static final String ENCODER = "encoder.safetensors";
    public static final String QUANTIZER = "quantizer.safetensors";
    public static final String ITEM_EMBEDDINGS = "item-embeddings.safetensors";
    public static final String METRICS = "metrics.json";
    public static final String CODE_USAGE = "code-usage.png";

    private TokenizerFolder() {
    }

    /**
     * Checks that {@code out} may be written: it does not exist, is an empty folder, or {@code overwrite} is set
     * and it is a folder. Call it before the work starts, so a mistake costs nothing.
     */
    public static void checkWritable(Path out, boolean overwrite) {
        if (!Files.exists(out)) {
            Path parent = out.toAbsolutePath().getParent();
            if (parent != null && Files.exists(parent) && !Files.isDirectory(parent)) {
                throw new UserException(out + ": the parent " + parent + " is not a folder");
            }
            return;
        }
        if (!Files.isDirectory(out)) {
            throw new UserException(out + ": exists and is not a folder");
        }
        if (!overwrite && !isEmpty(out)) {
            throw new UserException(out + ": exists and is not empty; pass --overwrite to replace it");
        }
    }

    /** Runs {@code writer} on a temporary folder and renames it to {@code out}; cleans up on failure. */
    public static void writeAtomically(Path out, boolean overwrite, Consumer<Path> writer) {
        checkWritable(out, overwrite);
        Path target = out.toAbsolutePath().normalize();
        Path parent = target.getParent();
        String name = target.getFileName().toString();
        Path tmp = parent.resolve("." + name + ".tmp-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        try {
            Files.createDirectories(parent);
            Files.createDirectory(tmp);
            writer.accept(tmp);
            if (Files.exists(target)) {
                Path old = parent.resolve("." + name + ".old-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
                move(target, old);
                move(tmp, target);
                deleteRecursively(old);
            } else {
                move(tmp, target);
            }
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw new UncheckedIOException(out + ": cannot write the tokenizer folder (" + e.getMessage() + ")", e);
        } catch (RuntimeException | Error e) {
            deleteQuietly(tmp);
            throw e;
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        } catch (DirectoryNotEmptyException e) {
            throw new IOException(to + " appeared while writing", e);
        }
    }

    private static boolean isEmpty(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": cannot list (" + e.getMessage() + ")", e);
        }
    }

    /** Deletes a folder and everything in it. */
    public static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static void deleteQuietly(Path dir) {
        try {
            deleteRecursively(dir);
        } catch (IOException ignored) {
            // The original failure is what the user needs to see.
        }
    }
}
