package dev.onerec4j.kernels.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The CUDA C++ sources of the project's kernels, kept as class-path resources next to this class
 * ({@code dev/onerec4j/kernels/cuda/*.cu}) and compiled at first use. Each source includes only
 * {@code common.cuh} (handed to NVRTC as an in-memory header), so NVRTC needs no CUDA include directory.
 */
public final class KernelSources {

    /** The kernel source files, one CUDA module each. */
    public static final List<String> MODULES = List.of(
            "copy.cu", "elementwise.cu", "reduce.cu", "softmax.cu", "norm.cu", "cross_entropy.cu",
            "attention.cu", "indexing.cu", "topk.cu", "optim.cu", "moe.cu", "beam.cu");

    /** The headers every module may include. */
    public static final List<String> HEADERS = List.of("common.cuh");

    private static final String BASE = "/dev/onerec4j/kernels/cuda/";

    private KernelSources() {
    }

    /** The text of resource {@code name}, or an error naming it. */
    public static String read(String name) {
        try (InputStream in = KernelSources.class.getResourceAsStream(BASE + name)) {
            if (in == null) {
                throw new IllegalStateException("kernel source " + BASE + name + " is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read kernel source " + name, e);
        }
    }

    /** Every header, by include name. */
    public static Map<String, String> headers() {
        Map<String, String> h = new LinkedHashMap<>();
        for (String name : HEADERS) {
            h.put(name, read(name));
        }
        return h;
    }
}
