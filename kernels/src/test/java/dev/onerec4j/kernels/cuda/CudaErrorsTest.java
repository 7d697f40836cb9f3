package dev.onerec4j.kernels.cuda;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Status codes become messages that name the call, the error and its meaning. */
class CudaErrorsTest {

    @Test
    void namesDriverCodes() {
        assertEquals("CUDA_ERROR_OUT_OF_MEMORY", CudaErrors.driverName(2));
        assertEquals("CUDA_ERROR_NO_DEVICE", CudaErrors.driverName(100));
        assertEquals("CUDA_ERROR_ILLEGAL_ADDRESS", CudaErrors.driverName(700));
        assertEquals("CUresult 12345", CudaErrors.driverName(12345));
    }

    @Test
    void namesNvrtcAndCublasCodes() {
        assertEquals("NVRTC_ERROR_COMPILATION", CudaErrors.nvrtcName(6));
        assertEquals("NVRTC_ERROR_INVALID_OPTION", CudaErrors.nvrtcName(5));
        assertEquals("nvrtcResult 99", CudaErrors.nvrtcName(99));
        assertEquals("CUBLAS_STATUS_NOT_SUPPORTED", CudaErrors.cublasName(15));
        assertEquals("CUBLAS_STATUS_INVALID_VALUE", CudaErrors.cublasName(7));
        assertEquals("cublasStatus 4", CudaErrors.cublasName(4));
    }

    @Test
    void messageNamesCallCodeAndDescription() {
        assertEquals("cuMemAlloc_v2 failed: CUDA_ERROR_OUT_OF_MEMORY (2): out of memory",
                CudaErrors.message("cuMemAlloc_v2", 2, "CUDA_ERROR_OUT_OF_MEMORY", "out of memory"));
        assertEquals("nvrtcCompileProgram failed: NVRTC_ERROR_COMPILATION (6)",
                CudaErrors.message("nvrtcCompileProgram", 6, "NVRTC_ERROR_COMPILATION", "NVRTC_ERROR_COMPILATION"));
    }

    @Test
    void hintsPointAtTheMachine() {
        assertTrue(CudaErrors.driverHint(100).contains("nvidia-smi"));
        assertTrue(CudaErrors.driverHint(34).contains("stub"));
        assertEquals("", CudaErrors.driverHint(700));
    }
}
