package dev.onerec4j.kernels.cuda;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Without a usable GPU the driver fails cleanly and consistently; with one it reports a sane device. */
class CudaDriverTest {

    @Test
    void unavailableDriverFailsWithAReason() {
        Assumptions.assumeFalse(Cuda.isAvailable(), "a GPU is present: the failure path cannot be checked here");
        String reason = Cuda.unavailableReason();
        assertNotNull(reason);
        assertFalse(reason.isBlank());
        try {
            CudaDriver.get();
        } catch (CudaUnavailableException first) {
            CudaUnavailableException second = assertThrows(CudaUnavailableException.class, CudaDriver::get);
            assertSame(first, second, "the load is attempted once and its failure remembered");
            assertTrue(first.getMessage().contains("libcuda") || first.getMessage().contains("cuInit"), first.getMessage());
        }
    }

    @Test
    void availableDriverDescribesTheDevice() {
        Assumptions.assumeTrue(Cuda.isAvailable(), () -> "no GPU: " + Cuda.unavailableReason());
        CudaContext c = CudaContext.get();
        assertTrue(c.computeCapability() >= 50, c.toString());
        assertTrue(c.multiprocessors() > 0);
        assertTrue(c.driver().driverVersion() >= 12000);
        long[] mem = c.driver().memoryInfo();
        assertTrue(mem[1] > 0 && mem[0] <= mem[1]);
        try (CudaEvent start = new CudaEvent(c); CudaEvent end = new CudaEvent(c)) {
            start.record();
            end.record();
            assertTrue(end.millisSince(start) >= 0);
        }
    }
}
