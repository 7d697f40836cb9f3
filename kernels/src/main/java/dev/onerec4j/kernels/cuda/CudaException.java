package dev.onerec4j.kernels.cuda;

/**
 * A failed CUDA driver, NVRTC or cuBLAS call. The message names the call, the library's error name and its
 * description (and, for a failed compilation, the compiler log), so a report from a GPU machine is enough to
 * find the cause without rerunning it.
 */
public class CudaException extends RuntimeException {

    private final String call;
    private final int code;

    public CudaException(String call, int code, String message) {
        super(message);
        this.call = call;
        this.code = code;
    }

    /** The library function that failed (e.g. {@code cuMemAlloc_v2}). */
    public String call() {
        return call;
    }

    /** The raw status code it returned. */
    public int code() {
        return code;
    }
}
