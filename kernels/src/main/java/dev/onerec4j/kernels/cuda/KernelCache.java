package dev.onerec4j.kernels.cuda;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * An on-disk cache of compiled kernels: {@code <root>/<cc>/<sha256>.cubin}, where the hash covers everything
 * that changes the generated code (source, headers, compiler options, compute capability, compiler version).
 * A cubin is written to a temporary file in the same directory and renamed into place, so a crash or a
 * concurrent process never leaves a half-written file under the final name. A file that does not look like a
 * cubin (an ELF image) is recompiled and replaced. When the directory is not writable the cache is skipped
 * with a warning: compiling every run is slow, not wrong.
 *
 * <p>The root is {@code -Donerec4j.cuda.cacheDir}, else {@code $ONEREC4J_CUDA_CACHE}, else
 * {@code ~/.cache/onerec4j/cuda}.
 */
public final class KernelCache {

    private static final String KEY_VERSION = "onerec4j-kernel-cache-v1";

    private final Path root;
    private final KernelCompiler compiler;
    private volatile boolean warned;

    public KernelCache(Path root, KernelCompiler compiler) {
        this.root = root;
        this.compiler = compiler;
    }

    /** The cache root for this process. */
    public static Path defaultRoot() {
        String p = System.getProperty("onerec4j.cuda.cacheDir");
        if (p == null || p.isBlank()) {
            p = System.getenv("ONEREC4J_CUDA_CACHE");
        }
        if (p != null && !p.isBlank()) {
            return Path.of(p);
        }
        return Path.of(System.getProperty("user.home"), ".cache", "onerec4j", "cuda");
    }

    /** The cache key of one compilation: a lowercase hex SHA-256. */
    public static String key(String name, String source, Map<String, String> headers, List<String> options,
                             int computeCapability, String compilerVersion) {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
        field(md, KEY_VERSION);
        field(md, name);
        field(md, source);
        field(md, Integer.toString(headers.size()));
        // Headers in name order, so the key does not depend on map iteration order.
        headers.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            field(md, e.getKey());
            field(md, e.getValue());
        });
        field(md, Integer.toString(options.size()));
        for (String o : options) {
            field(md, o);
        }
        field(md, "cc=" + computeCapability);
        field(md, "compiler=" + compilerVersion);
        return HexFormat.of().formatHex(md.digest());
    }

    /** Length-prefixed, so ("ab", "c") and ("a", "bc") hash differently. */
    private static void field(MessageDigest md, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        md.update(Integer.toString(b.length).getBytes(StandardCharsets.US_ASCII));
        md.update((byte) ':');
        md.update(b);
    }

    /** Where the cubin of {@code key} for compute capability {@code cc} (e.g. 90) lives. */
    public Path path(int computeCapability, String key) {
        return root.resolve(Integer.toString(computeCapability)).resolve(key + ".cubin");
    }

    /** The cubin of one module: from the cache when present and valid, else compiled and stored. */
    public byte[] load(String name, String source, Map<String, String> headers, List<String> options, int computeCapability) {
        String key = key(name, source, headers, options, computeCapability, compiler.version());
        Path file = path(computeCapability, key);
        try {
            if (Files.isRegularFile(file)) {
                byte[] cached = Files.readAllBytes(file);
                if (looksLikeCubin(cached)) {
                    return cached;
                }
            }
        } catch (IOException e) {
            warn("cannot read " + file + ": " + e.getMessage());
        }
        byte[] image = compiler.compile(name, source, headers, options);
        store(file, image);
        return image;
    }

    /** A cubin is an ELF image. */
    static boolean looksLikeCubin(byte[] b) {
        return b.length > 4 && b[0] == 0x7f && b[1] == 'E' && b[2] == 'L' && b[3] == 'F';
    }

    private void store(Path file, byte[] image) {
        Path tmp = null;
        try {
            Files.createDirectories(file.getParent());
            tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
            Files.write(tmp, image);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (IOException | SecurityException e) {
            warn("cannot write the kernel cache at " + file + " (" + e.getMessage() + "); kernels will be recompiled next run");
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // Best effort: a stray temp file is harmless and never read.
                }
            }
        }
    }

    private void warn(String message) {
        if (!warned) {
            warned = true;
            System.err.println("warning: " + message);
        }
    }
}
