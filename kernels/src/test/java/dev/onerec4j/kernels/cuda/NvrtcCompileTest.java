package dev.onerec4j.kernels.cuda;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Compiles every kernel source with NVRTC exactly as the backend does at run time (in-memory header, the
 * backend's options, sm_90), when an NVRTC library can be loaded; NVRTC needs no GPU. Skipped otherwise.
 */
class NvrtcCompileTest {

    private static Nvrtc nvrtc() {
        try {
            return Nvrtc.get();
        } catch (CudaUnavailableException e) {
            Assumptions.abort("NVRTC is not installed: " + e.getMessage());
            return null;
        }
    }

    @Test
    void everyModuleCompilesAtRunTime() {
        Nvrtc n = nvrtc();
        for (String module : KernelSources.MODULES) {
            byte[] cubin = n.compile(module, KernelSources.read(module), KernelSources.headers(), CudaContext.compileOptions(90));
            assertTrue(KernelCache.looksLikeCubin(cubin), module + " did not compile to a cubin");
        }
    }

    @Test
    void aCompileErrorCarriesTheLog() {
        Nvrtc n = nvrtc();
        CudaException e = assertThrows(CudaException.class, () -> n.compile("broken.cu",
                "extern \"C\" __global__ void k() { undefined_thing(); }", java.util.Map.of(), List.of("--gpu-architecture=sm_90")));
        assertTrue(e.getMessage().contains("NVRTC_ERROR_COMPILATION"), e.getMessage());
        assertTrue(e.getMessage().contains("undefined_thing"), e.getMessage());
    }
}
