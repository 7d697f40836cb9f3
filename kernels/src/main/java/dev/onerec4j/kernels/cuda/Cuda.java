package dev.onerec4j.kernels.cuda;

/**
 * Whether this process can run the CUDA backend: the driver loads and initialises, it sees a GPU, and NVRTC and
 * cuBLASLt load. The probe runs once; {@link #unavailableReason()} says what was missing. Nothing here is
 * touched by a CPU-only run.
 */
public final class Cuda {

    private static volatile String reason;
    private static volatile boolean probed;

    private Cuda() {
    }

    public static boolean isAvailable() {
        probe();
        return reason == null;
    }

    /** Why CUDA cannot be used, or null when it can. */
    public static String unavailableReason() {
        probe();
        return reason;
    }

    private static synchronized void probe() {
        if (probed) {
            return;
        }
        probed = true;
        try {
            CudaDriver driver = CudaDriver.get();
            if (driver.deviceCount() < 1) {
                reason = "the CUDA driver reports no GPU";
                return;
            }
            Nvrtc.get();
            CudaContext.get();
            CublasLt.get();
        } catch (CudaException | LinkageError e) {
            reason = e.getMessage();
        }
    }
}
