import org.junit.platform.engine.discovery.ClassNameFilter;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

import java.io.PrintWriter;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectPackage;
import static org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder.request;

/**
 * Runs the CUDA test packages with the JUnit Platform launcher on a machine that has a JRE but no Maven (the GPU
 * machine). Exit code 0 only when no test failed; skipped tests are counted and listed.
 */
public final class DeviceTestRunner {

    public static void main(String[] args) {
        LauncherDiscoveryRequest req = request()
                .selectors(selectPackage("dev.onerec4j.kernels.cuda"), selectPackage("dev.onerec4j.tensors.backend.cuda"))
                // The CPU emulator of CUDA is for machines without a GPU.
                .filters(ClassNameFilter.excludeClassNamePatterns(".*EmulatedCudaTest"))
                .build();
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        launcher.execute(req, listener);
        TestExecutionSummary s = listener.getSummary();
        PrintWriter out = new PrintWriter(System.out, true);
        s.printFailuresTo(out, 40);
        s.printTo(out);
        // Tests that skip through an assumption (no GPU) are "aborted" to JUnit: counted as skipped here.
        out.printf("%d passed, %d failed, %d skipped%n", s.getTestsSucceededCount(), s.getTotalFailureCount(),
                s.getTestsSkippedCount() + s.getTestsAbortedCount());
        System.exit(s.getTotalFailureCount() == 0 ? 0 : 1);
    }
}
