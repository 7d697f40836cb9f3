package dev.onerec4j.kernels.cuda;

import java.util.Map;

/**
 * Names and descriptions of the status codes of the CUDA driver ({@code CUresult}), NVRTC ({@code nvrtcResult})
 * and cuBLAS/cuBLASLt ({@code cublasStatus_t}). The libraries' own functions ({@code cuGetErrorName},
 * {@code nvrtcGetErrorString}, {@code cublasLtGetStatusName}) are preferred when loaded; these tables cover the
 * codes a user is likely to meet when a library is too old to name a code or cannot describe it.
 */
public final class CudaErrors {

    private static final Map<Integer, String> DRIVER = Map.ofEntries(
            Map.entry(0, "CUDA_SUCCESS"),
            Map.entry(1, "CUDA_ERROR_INVALID_VALUE"),
            Map.entry(2, "CUDA_ERROR_OUT_OF_MEMORY"),
            Map.entry(3, "CUDA_ERROR_NOT_INITIALIZED"),
            Map.entry(4, "CUDA_ERROR_DEINITIALIZED"),
            Map.entry(34, "CUDA_ERROR_STUB_LIBRARY"),
            Map.entry(35, "CUDA_ERROR_INSUFFICIENT_DRIVER"),
            Map.entry(36, "CUDA_ERROR_CALL_REQUIRES_NEWER_DRIVER"),
            Map.entry(46, "CUDA_ERROR_DEVICE_UNAVAILABLE"),
            Map.entry(100, "CUDA_ERROR_NO_DEVICE"),
            Map.entry(101, "CUDA_ERROR_INVALID_DEVICE"),
            Map.entry(200, "CUDA_ERROR_INVALID_IMAGE"),
            Map.entry(201, "CUDA_ERROR_INVALID_CONTEXT"),
            Map.entry(209, "CUDA_ERROR_NO_BINARY_FOR_GPU"),
            Map.entry(218, "CUDA_ERROR_INVALID_PTX"),
            Map.entry(222, "CUDA_ERROR_UNSUPPORTED_PTX_VERSION"),
            Map.entry(300, "CUDA_ERROR_INVALID_SOURCE"),
            Map.entry(301, "CUDA_ERROR_FILE_NOT_FOUND"),
            Map.entry(400, "CUDA_ERROR_INVALID_HANDLE"),
            Map.entry(500, "CUDA_ERROR_NOT_FOUND"),
            Map.entry(600, "CUDA_ERROR_NOT_READY"),
            Map.entry(700, "CUDA_ERROR_ILLEGAL_ADDRESS"),
            Map.entry(701, "CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES"),
            Map.entry(702, "CUDA_ERROR_LAUNCH_TIMEOUT"),
            Map.entry(710, "CUDA_ERROR_ASSERT"),
            Map.entry(715, "CUDA_ERROR_ILLEGAL_INSTRUCTION"),
            Map.entry(716, "CUDA_ERROR_MISALIGNED_ADDRESS"),
            Map.entry(719, "CUDA_ERROR_LAUNCH_FAILED"),
            Map.entry(801, "CUDA_ERROR_NOT_SUPPORTED"),
            Map.entry(803, "CUDA_ERROR_SYSTEM_DRIVER_MISMATCH"),
            Map.entry(804, "CUDA_ERROR_COMPAT_NOT_SUPPORTED_ON_DEVICE"),
            Map.entry(900, "CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED"),
            Map.entry(901, "CUDA_ERROR_STREAM_CAPTURE_INVALIDATED"),
            Map.entry(906, "CUDA_ERROR_STREAM_CAPTURE_IMPLICIT"),
            Map.entry(908, "CUDA_ERROR_STREAM_CAPTURE_WRONG_THREAD"),
            Map.entry(999, "CUDA_ERROR_UNKNOWN"));

    private static final String[] NVRTC = {
        "NVRTC_SUCCESS",
        "NVRTC_ERROR_OUT_OF_MEMORY",
        "NVRTC_ERROR_PROGRAM_CREATION_FAILURE",
        "NVRTC_ERROR_INVALID_INPUT",
        "NVRTC_ERROR_INVALID_PROGRAM",
        "NVRTC_ERROR_INVALID_OPTION",
        "NVRTC_ERROR_COMPILATION",
        "NVRTC_ERROR_BUILTIN_OPERATION_FAILURE",
        "NVRTC_ERROR_NO_NAME_EXPRESSIONS_AFTER_COMPILATION",
        "NVRTC_ERROR_NO_LOWERED_NAMES_BEFORE_COMPILATION",
        "NVRTC_ERROR_NAME_EXPRESSION_NOT_VALID",
        "NVRTC_ERROR_INTERNAL_ERROR",
        "NVRTC_ERROR_TIME_FILE_WRITE_FAILED",
    };

    private static final Map<Integer, String> CUBLAS = Map.ofEntries(
            Map.entry(0, "CUBLAS_STATUS_SUCCESS"),
            Map.entry(1, "CUBLAS_STATUS_NOT_INITIALIZED"),
            Map.entry(3, "CUBLAS_STATUS_ALLOC_FAILED"),
            Map.entry(7, "CUBLAS_STATUS_INVALID_VALUE"),
            Map.entry(8, "CUBLAS_STATUS_ARCH_MISMATCH"),
            Map.entry(11, "CUBLAS_STATUS_MAPPING_ERROR"),
            Map.entry(13, "CUBLAS_STATUS_EXECUTION_FAILED"),
            Map.entry(14, "CUBLAS_STATUS_INTERNAL_ERROR"),
            Map.entry(15, "CUBLAS_STATUS_NOT_SUPPORTED"),
            Map.entry(16, "CUBLAS_STATUS_LICENSE_ERROR"));

    private CudaErrors() {
    }

    /** The {@code CUresult} name of {@code code}, or {@code CUresult <code>} for a code this table does not know. */
    public static String driverName(int code) {
        return DRIVER.getOrDefault(code, "CUresult " + code);
    }

    public static String nvrtcName(int code) {
        return code >= 0 && code < NVRTC.length ? NVRTC[code] : "nvrtcResult " + code;
    }

    public static String cublasName(int code) {
        return CUBLAS.getOrDefault(code, "cublasStatus " + code);
    }

    /** The message of a failed call: {@code "<call> failed: <NAME> (<code>): <description>"}. */
    public static String message(String call, int code, String name, String description) {
        StringBuilder sb = new StringBuilder(call).append(" failed: ").append(name).append(" (").append(code).append(')');
        if (description != null && !description.isBlank() && !description.equals(name)) {
            sb.append(": ").append(description);
        }
        return sb.toString();
    }

    /** A hint for the codes that usually mean the machine, not the program, is at fault. */
    public static String driverHint(int code) {
        return switch (code) {
            case 34 -> " (the libcuda found is the toolkit's stub: the NVIDIA driver is not installed on this machine)";
            case 35, 803 -> " (the NVIDIA driver is older than this CUDA version or does not match the kernel module)";
            case 100 -> " (no NVIDIA GPU is visible: check nvidia-smi and CUDA_VISIBLE_DEVICES)";
            case 2 -> " (the GPU is out of memory: reduce the batch size or free cached blocks)";
            default -> "";
        };
    }
}
