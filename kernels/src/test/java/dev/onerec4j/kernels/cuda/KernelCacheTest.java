package dev.onerec4j.kernels.cuda;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The kernel cache's key, its atomic writes and its recovery from bad files, with a fake compiler. */
class KernelCacheTest {

    private static final Map<String, String> HEADERS = Map.of("common.cuh", "#pragma once\n");
    private static final List<String> OPTIONS = List.of("--gpu-architecture=sm_90", "-std=c++17");

    /** Returns a fake ELF image naming what it compiled, and counts calls. */
    private static final class FakeCompiler implements KernelCompiler {
        final AtomicInteger calls = new AtomicInteger();
        String version = "13.0";

        @Override
        public byte[] compile(String name, String source, Map<String, String> headers, List<String> options) {
            calls.incrementAndGet();
            return ("\u007fELF" + name + source.length()).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        }

        @Override
        public String version() {
            return version;
        }
    }

    @Test
    void keyChangesWithEveryInput() {
        String base = KernelCache.key("a.cu", "src", HEADERS, OPTIONS, 90, "13.0");
        assertEquals(64, base.length());
        assertEquals(base, KernelCache.key("a.cu", "src", HEADERS, OPTIONS, 90, "13.0"));
        assertNotEquals(base, KernelCache.key("b.cu", "src", HEADERS, OPTIONS, 90, "13.0"));
        assertNotEquals(base, KernelCache.key("a.cu", "src2", HEADERS, OPTIONS, 90, "13.0"));
        assertNotEquals(base, KernelCache.key("a.cu", "src", Map.of("common.cuh", "x"), OPTIONS, 90, "13.0"));
        assertNotEquals(base, KernelCache.key("a.cu", "src", HEADERS, List.of("-std=c++17"), 90, "13.0"));
        assertNotEquals(base, KernelCache.key("a.cu", "src", HEADERS, OPTIONS, 89, "13.0"));
        assertNotEquals(base, KernelCache.key("a.cu", "src", HEADERS, OPTIONS, 90, "12.8"));
        // Field boundaries matter: moving a character between fields changes the key.
        assertNotEquals(KernelCache.key("ab", "c", HEADERS, OPTIONS, 90, "1"), KernelCache.key("a", "bc", HEADERS, OPTIONS, 90, "1"));
    }

    @Test
    void keyIgnoresHeaderMapOrder() {
        Map<String, String> h1 = new LinkedHashMap<>();
        h1.put("a.cuh", "1");
        h1.put("b.cuh", "2");
        Map<String, String> h2 = new LinkedHashMap<>();
        h2.put("b.cuh", "2");
        h2.put("a.cuh", "1");
        assertEquals(KernelCache.key("x", "y", h1, OPTIONS, 90, "1"), KernelCache.key("x", "y", h2, OPTIONS, 90, "1"));
    }

    @Test
    void compilesOnceThenReadsTheFile(@TempDir Path root) throws IOException {
        FakeCompiler compiler = new FakeCompiler();
        KernelCache cache = new KernelCache(root, compiler);
        byte[] first = cache.load("a.cu", "source", HEADERS, OPTIONS, 90);
        byte[] second = new KernelCache(root, compiler).load("a.cu", "source", HEADERS, OPTIONS, 90);
        assertArrayEquals(first, second);
        assertEquals(1, compiler.calls.get());
        Path file = cache.path(90, KernelCache.key("a.cu", "source", HEADERS, OPTIONS, 90, "13.0"));
        assertTrue(Files.isRegularFile(file));
        assertEquals(root.resolve("90"), file.getParent());
        try (Stream<Path> files = Files.list(file.getParent())) {
            assertEquals(1, files.count(), "no temporary file may be left behind");
        }
        compiler.version = "13.1";
        cache.load("a.cu", "source", HEADERS, OPTIONS, 90);
        assertEquals(2, compiler.calls.get(), "a new compiler version must recompile");
    }

    @Test
    void replacesAFileThatIsNotACubin(@TempDir Path root) throws IOException {
        FakeCompiler compiler = new FakeCompiler();
        KernelCache cache = new KernelCache(root, compiler);
        Path file = cache.path(90, KernelCache.key("a.cu", "s", HEADERS, OPTIONS, 90, "13.0"));
        Files.createDirectories(file.getParent());
        Files.write(file, new byte[] {1, 2, 3});
        byte[] image = cache.load("a.cu", "s", HEADERS, OPTIONS, 90);
        assertTrue(KernelCache.looksLikeCubin(image));
        assertArrayEquals(image, Files.readAllBytes(file));
        assertEquals(1, compiler.calls.get());
    }

    @Test
    void anUnwritableCacheStillCompiles(@TempDir Path dir) throws IOException {
        Path blocker = Files.writeString(dir.resolve("not-a-directory"), "x");
        FakeCompiler compiler = new FakeCompiler();
        byte[] image = new KernelCache(blocker, compiler).load("a.cu", "s", HEADERS, OPTIONS, 90);
        assertTrue(KernelCache.looksLikeCubin(image));
    }
}
