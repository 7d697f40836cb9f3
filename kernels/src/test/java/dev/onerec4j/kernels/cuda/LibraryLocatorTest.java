package dev.onerec4j.kernels.cuda;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Finding the CUDA libraries, and failing with a clear message when they are absent. */
class LibraryLocatorTest {

    @Test
    void prefersTheRequestedVersionThenTheHighest(@TempDir Path dir) throws IOException {
        Files.createFile(dir.resolve("libnvrtc.so.11.2"));
        Files.createFile(dir.resolve("libnvrtc.so.12"));
        Files.createFile(dir.resolve("libnvrtc-builtins.so.12"));
        LibraryLocator locator = new LibraryLocator(List.of(dir));
        assertEquals(dir.resolve("libnvrtc.so.12"), locator.find("libnvrtc.so", "13").orElseThrow());
        Files.createFile(dir.resolve("libnvrtc.so.13"));
        assertEquals(dir.resolve("libnvrtc.so.13"), locator.find("libnvrtc.so", "13").orElseThrow());
        assertTrue(locator.find("libcublasLt.so", "13").isEmpty());
    }

    @Test
    void searchesDirectoriesInOrder(@TempDir Path dir) throws IOException {
        Path first = Files.createDirectory(dir.resolve("first"));
        Path second = Files.createDirectory(dir.resolve("second"));
        Files.createFile(second.resolve("libcuda.so.1"));
        Files.createFile(first.resolve("libcuda.so.1"));
        LibraryLocator locator = new LibraryLocator(List.of(dir.resolve("missing"), first, second));
        assertEquals(first.resolve("libcuda.so.1"), locator.find("libcuda.so", "1").orElseThrow());
    }

    @Test
    void versionsCompareNumerically() {
        assertTrue(LibraryLocator.compareVersions(new int[] {13}, new int[] {12, 9}) > 0);
        assertTrue(LibraryLocator.compareVersions(new int[] {11, 10}, new int[] {11, 2}) > 0);
        assertTrue(LibraryLocator.compareVersions(new int[] {12}, new int[] {12, 0}) < 0);
        assertEquals(0, LibraryLocator.compareVersions(new int[] {12, 1}, new int[] {12, 1}));
    }

    @Test
    void environmentDirectoriesComeFirst() {
        List<Path> dirs = LibraryLocator.defaultDirectories("/opt/a:/opt/b",
                Map.of("CUDA_HOME", "/opt/cuda", "LD_LIBRARY_PATH", "/opt/ld"));
        assertEquals(Path.of("/opt/a"), dirs.get(0));
        assertEquals(Path.of("/opt/b"), dirs.get(1));
        assertEquals(Path.of("/opt/cuda/targets/x86_64-linux/lib"), dirs.get(2));
        assertTrue(dirs.contains(Path.of("/usr/local/cuda/targets/x86_64-linux/lib")));
        assertTrue(dirs.indexOf(Path.of("/opt/ld")) > dirs.indexOf(Path.of("/usr/local/cuda/lib64")));
    }

    @Test
    void missingLibraryFailsWithWhereItLooked(@TempDir Path dir) {
        CudaUnavailableException e = assertThrows(CudaUnavailableException.class,
                () -> NativeLibrary.load(new LibraryLocator(List.of(dir)), "libonerec4j-absent.so", "13"));
        assertTrue(e.getMessage().contains("libonerec4j-absent.so"), e.getMessage());
        assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("onerec4j.cuda.libDir"), e.getMessage());
    }
}
