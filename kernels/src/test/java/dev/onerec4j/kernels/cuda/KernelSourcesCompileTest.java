package dev.onerec4j.kernels.cuda;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Compiles every kernel source with the local {@code nvcc} for sm_90 (Hopper), when nvcc is on the PATH: catches
 * syntax and type errors without a GPU, and records the registers, shared memory and spills of each kernel in
 * {@code target/cuda-resource-usage.txt}. Register spills to local memory fail the test: they mean an array
 * indexed at run time, which the kernels are written to avoid.
 */
class KernelSourcesCompileTest {

    /** Kernels allowed a small spill (checked by hand; see docs/gpu.md). */
    private static final List<String> SPILL_ALLOWED = List.of("attention_fwd");

    private static Path nvcc() {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(java.io.File.pathSeparator)) {
                Path p = Path.of(dir, "nvcc");
                if (Files.isExecutable(p)) {
                    return p;
                }
            }
        }
        Path cudaHome = Path.of(System.getenv().getOrDefault("CUDA_HOME", "/usr/local/cuda"), "bin", "nvcc");
        return Files.isExecutable(cudaHome) ? cudaHome : null;
    }

    @Test
    void everyModuleCompilesForHopper(@TempDir Path dir) throws IOException, InterruptedException {
        Path nvcc = nvcc();
        Assumptions.assumeTrue(nvcc != null, "nvcc is not on the PATH: kernel compilation check skipped");
        for (String header : KernelSources.HEADERS) {
            Files.writeString(dir.resolve(header), KernelSources.read(header), StandardCharsets.UTF_8);
        }
        StringBuilder report = new StringBuilder();
        List<String> failures = new ArrayList<>();
        for (String module : KernelSources.MODULES) {
            Path src = dir.resolve(module);
            Files.writeString(src, KernelSources.read(module), StandardCharsets.UTF_8);
            ProcessBuilder pb = new ProcessBuilder(nvcc.toString(), "-arch=sm_90", "-std=c++17", "-cubin",
                    "--resource-usage", "-Werror", "all-warnings", "-I", dir.toString(), "-o",
                    dir.resolve(module + ".cubin").toString(), src.toString());
            pb.redirectErrorStream(true);
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(5, TimeUnit.MINUTES), "nvcc timed out on " + module);
            report.append("== ").append(module).append('\n').append(out).append('\n');
            if (p.exitValue() != 0) {
                failures.add(module + ":\n" + out);
                continue;
            }
            String function = null;
            for (String line : out.split("\n")) {
                if (line.contains("Compiling entry function")) {
                    function = line.replaceAll(".*function '([^']*)'.*", "$1");
                }
                if (line.contains("bytes spill stores") && !line.contains(" 0 bytes spill stores")
                        && !SPILL_ALLOWED.contains(function)) {
                    failures.add(module + ": " + function + " spills registers: " + line.trim());
                }
            }
        }
        Path target = Path.of("target");
        if (Files.isDirectory(target)) {
            Files.writeString(target.resolve("cuda-resource-usage.txt"), report.toString(), StandardCharsets.UTF_8);
        }
        if (!failures.isEmpty()) {
            fail("nvcc failed:\n" + String.join("\n", failures));
        }
        assertEquals(KernelSources.MODULES.size(), report.toString().split("== ").length - 1);
    }
}
