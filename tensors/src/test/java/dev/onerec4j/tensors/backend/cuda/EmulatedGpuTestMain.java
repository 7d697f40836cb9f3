package dev.onerec4j.tensors.backend.cuda;

import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * Runs the GPU test classes in a JVM whose CUDA libraries are the emulator's (started by
 * {@link EmulatedCudaTest}). A test that skips counts as a failure here: under the emulator every GPU test must
 * run. Prints {@code N passed, N failed} and exits non-zero on any failure.
 */
public final class EmulatedGpuTestMain {

    static final Class<?>[] GPU_TESTS = {CudaBackendTest.class, CudaAttentionTest.class, CudaFusedOpsTest.class,
        CudaGraphEmulatedTest.class, CudaVsCpuTest.class};

    private EmulatedGpuTestMain() {
    }

    public static void main(String[] args) throws ReflectiveOperationException {
        int passed = 0;
        int failed = 0;
        for (Class<?> c : GPU_TESTS) {
            for (Method m : c.getDeclaredMethods()) {
                if (!m.isAnnotationPresent(Test.class)) {
                    continue;
                }
                String name = c.getSimpleName() + "." + m.getName();
                long t0 = System.nanoTime();
                try {
                    var ctor = c.getDeclaredConstructor();
                    ctor.setAccessible(true);
                    Object instance = ctor.newInstance();
                    m.setAccessible(true);
                    m.invoke(instance);
                    passed++;
                    System.out.printf("PASS %s (%.1f s)%n", name, (System.nanoTime() - t0) / 1e9);
                } catch (InvocationTargetException e) {
                    failed++;
                    Throwable cause = e.getCause();
                    System.out.println((cause instanceof TestAbortedException ? "SKIPPED (counts as failed) " : "FAIL ")
                            + name + ": " + cause);
                    cause.printStackTrace(System.out);
                }
            }
        }
        System.out.println(passed + " passed, " + failed + " failed");
        System.exit(failed == 0 ? 0 : 1);
    }
}
