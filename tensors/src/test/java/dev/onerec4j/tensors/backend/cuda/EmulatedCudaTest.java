package dev.onerec4j.tensors.backend.cuda;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs every GPU test of the CUDA backend against the CPU emulator of the CUDA stack (kernels compiled as C++,
 * driver/NVRTC/cuBLASLt faked; see {@link CudaEmulator}) in a separate JVM, so the Java side, the launch
 * arguments and the kernels' arithmetic are checked end to end without a GPU. Needs g++; skipped otherwise.
 * With {@code -Donerec4j.cuda.emulator.asan=true} (and g++'s AddressSanitizer) the emulator is instrumented and
 * every tensor gets an exactly-sized block, so a kernel reading or writing past a tensor fails the run (about
 * twice as slow, hence not the default). What it cannot check: timing, memory-model races between blocks (blocks run one after another),
 * and the real cuBLASLt (the fake computes the documented column-major product).
 */
class EmulatedCudaTest {

    @Test
    void gpuTestsPassOnTheEmulator() throws IOException, InterruptedException {
        Path gxx = CudaEmulator.gxx();
        Assumptions.assumeTrue(gxx != null, "g++ is not on the PATH: CUDA emulator check skipped");
        Path sources = Path.of("src", "test", "native", "cuda-emu");
        Assumptions.assumeTrue(Files.isDirectory(sources), "emulator sources not found (not run from the tensors module)");
        Path asan = Boolean.parseBoolean(System.getProperty("onerec4j.cuda.emulator.asan", "false"))
                ? CudaEmulator.asanRuntime(gxx) : null;
        Path dir = Path.of("target", asan != null ? "cuda-emu-asan" : "cuda-emu").toAbsolutePath();
        CudaEmulator.build(gxx, sources, dir, asan != null);
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = List.of(java, "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "-Xss4m", "-Donerec4j.cuda.libDir=" + dir, "-Donerec4j.cuda.cacheDir=" + dir.resolve("cache"),
                "-Donerec4j.cuda.exactAllocations=" + (asan != null), "-cp", System.getProperty("java.class.path"),
                EmulatedGpuTestMain.class.getName());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        if (asan != null) {
            // The JVM handles SIGSEGV itself and never frees its heap: tell the sanitizer to leave both alone.
            pb.environment().put("LD_PRELOAD", asan.toString());
            pb.environment().put("ASAN_OPTIONS", "handle_segv=0,allow_user_segv_handler=1,detect_leaks=0,"
                    + "detect_stack_use_after_return=0,verify_asan_link_order=0");
        }
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(15, TimeUnit.MINUTES), "emulated GPU tests timed out");
        Files.writeString(dir.resolve("emulated-tests.log"), out, StandardCharsets.UTF_8);
        System.out.println(out);
        assertEquals(0, p.exitValue(), "GPU tests failed on the CUDA emulator:\n" + out);
        assertTrue(!out.contains("AddressSanitizer"), "a kernel accessed memory out of bounds:\n" + out);
    }
}
