package dev.onerec4j.kernels.cuda;

/**
 * CUDA cannot be used on this machine: a library is missing, the driver reports no device, or the driver is too
 * old. The message says which and where the libraries were looked for; callers (and tests) treat it as "no GPU
 * here", not as a bug.
 */
public final class CudaUnavailableException extends CudaException {

    public CudaUnavailableException(String message) {
        super("load", -1, message);
    }

    public CudaUnavailableException(String message, Throwable cause) {
        super("load", -1, message);
        initCause(cause);
    }
}
