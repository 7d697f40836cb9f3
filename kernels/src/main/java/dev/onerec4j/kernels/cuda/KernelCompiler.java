package dev.onerec4j.kernels.cuda;

import java.util.List;
import java.util.Map;

/** Turns CUDA C++ source into a loadable image (NVRTC in production; a fake in tests of the cache). */
public interface KernelCompiler {

    /** Compiles {@code source} with {@code headers} (include name to text) and {@code options}. */
    byte[] compile(String name, String source, Map<String, String> headers, List<String> options);

    /** A version string that changes whenever the compiler could produce different code (part of the cache key). */
    String version();
}
