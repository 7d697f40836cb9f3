package dev.onerec4j.tensors.backend.cuda;

import dev.onerec4j.kernels.cuda.KernelSources;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds the CUDA emulator ({@code src/test/native/cuda-emu}): the project's kernel sources compiled as C++ with
 * g++ into one shared library that also implements the driver API, NVRTC and cuBLASLt entry points, published
 * under the names the backend loads ({@code libcuda.so.1}, {@code libnvrtc.so.13}, {@code libcublasLt.so.13}).
 * A JVM started with {@code -Donerec4j.cuda.libDir=<dir>} then runs the whole CUDA backend, kernels included,
 * on the CPU.
 */
final class CudaEmulator {

    private static final Pattern KERNEL = Pattern.compile(
            "extern\\s+\"C\"\\s+__global__\\s+void\\s+(?:__launch_bounds__\\([^)]*\\)\\s+)?(\\w+)\\s*\\(");

    private CudaEmulator() {
    }

    static Path gxx() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path p = Path.of(dir, "g++");
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /** The extern "C" kernels a source defines. */
    static List<String> kernels(String source) {
        List<String> names = new ArrayList<>();
        Matcher m = KERNEL.matcher(source);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /**
     * The AddressSanitizer runtime g++ links against, or null: with it the emulator is built instrumented and
     * loaded into a JVM through {@code LD_PRELOAD}, so an out-of-bounds access of a kernel fails the run.
     */
    static Path asanRuntime(Path gxx) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(gxx.toString(), "-print-file-name=libasan.so").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        p.waitFor(1, TimeUnit.MINUTES);
        Path lib = Path.of(out);
        return lib.isAbsolute() && Files.exists(lib) ? lib : null;
    }

    /** Builds the emulator into {@code dir} (instrumented with AddressSanitizer when {@code asan}) and returns it. */
    static Path build(Path gxx, Path nativeSources, Path dir, boolean asan) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Files.copy(nativeSources.resolve("emu.h"), dir.resolve("emu.h"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.copy(nativeSources.resolve("emu_runtime.cpp"), dir.resolve("emu_runtime.cpp"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        for (String h : KernelSources.HEADERS) {
            Files.writeString(dir.resolve(h), KernelSources.read(h), StandardCharsets.UTF_8);
        }
        List<Path> units = new ArrayList<>(List.of(dir.resolve("emu_runtime.cpp")));
        for (String module : KernelSources.MODULES) {
            String src = KernelSources.read(module);
            Files.writeString(dir.resolve(module), src, StandardCharsets.UTF_8);
            StringBuilder unit = new StringBuilder("#include \"emu.h\"\n#include \"" + module + "\"\nstatic int registered = (0");
            unit.append(",\n    emu::register_module(\"").append(module).append("\")");
            for (String k : kernels(src)) {
                unit.append(",\n    emu::register_kernel(\"").append(k).append("\", &").append(k).append(')');
            }
            unit.append(", 0);\n");
            Path u = dir.resolve("k_" + module.replace(".cu", ".cpp"));
            Files.writeString(u, unit.toString(), StandardCharsets.UTF_8);
            units.add(u);
        }
        List<Process> running = new ArrayList<>();
        List<Path> objects = new ArrayList<>();
        StringBuilder errors = new StringBuilder();
        for (Path u : units) {
            Path o = dir.resolve(u.getFileName().toString().replace(".cpp", ".o"));
            objects.add(o);
            List<String> cmd = new ArrayList<>(List.of(gxx.toString(), "-std=c++17", "-O1", "-fPIC", "-Wall",
                    "-Wno-unknown-pragmas", "-Wno-unused-variable", "-I", dir.toString(), "-c", u.toString(), "-o",
                    o.toString()));
            if (asan) {
                cmd.addAll(List.of("-g", "-fsanitize=address", "-fno-omit-frame-pointer"));
            }
            running.add(new ProcessBuilder(cmd).redirectErrorStream(true).start());
            if (running.size() == 2) {
                drain(running, errors);
            }
        }
        drain(running, errors);
        if (errors.length() > 0) {
            throw new IllegalStateException("building the CUDA emulator failed:\n" + errors);
        }
        Path lib = dir.resolve("libonerec4j-cuda-emu.so");
        List<String> link = new ArrayList<>(List.of(gxx.toString(), "-shared", "-o", lib.toString()));
        if (asan) {
            link.add("-fsanitize=address");
        }
        objects.forEach(o -> link.add(o.toString()));
        running.add(new ProcessBuilder(link).redirectErrorStream(true).start());
        drain(running, errors);
        if (errors.length() > 0) {
            throw new IllegalStateException("linking the CUDA emulator failed:\n" + errors);
        }
        for (String name : new String[] {"libcuda.so.1", "libnvrtc.so.13", "libcublasLt.so.13"}) {
            Path l = dir.resolve(name);
            Files.deleteIfExists(l);
            Files.createSymbolicLink(l, lib.getFileName());
        }
        return dir;
    }

    private static void drain(List<Process> running, StringBuilder errors) throws IOException, InterruptedException {
        for (Process p : running) {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
                errors.append(out).append('\n');
            }
        }
        running.clear();
    }
}
