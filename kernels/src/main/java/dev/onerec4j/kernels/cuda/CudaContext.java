package dev.onerec4j.kernels.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One GPU as the project uses it: its primary context, one stream that every kernel, copy and cuBLASLt call of
 * the process is issued on, and the kernel modules compiled for it.
 *
 * <p><b>One global stream</b>, not one per thread: the caching allocator hands a freed block to the next
 * request without waiting, which is only safe when every use of the block is ordered on one stream; the decode
 * loop is captured into a CUDA graph from one stream; and the work the JVM issues is a sequence of dependent
 * ops, so independent streams would buy little. Host threads may issue work concurrently (the driver is
 * thread-safe); the stream serialises it.
 */
public final class CudaContext {

    /** Shared memory a block may use without opting in. */
    public static final int DEFAULT_SHARED_LIMIT = 48 * 1024;

    private static volatile CudaContext instance;

    private final CudaDriver driver;
    private final int device;
    private final long context;
    private final long stream;
    private final String name;
    private final int computeCapability;
    private final int multiprocessors;
    private final int maxSharedOptIn;
    private final ThreadLocal<Boolean> current = ThreadLocal.withInitial(() -> false);
    private final Map<String, Long> modules = new ConcurrentHashMap<>();
    private final Map<String, Long> functions = new ConcurrentHashMap<>();
    private final Map<Long, Integer> sharedOptIn = new ConcurrentHashMap<>();
    private volatile KernelCache cache;

    private CudaContext(CudaDriver driver, int ordinal) {
        this.driver = driver;
        int count = driver.deviceCount();
        if (count <= ordinal) {
            throw new CudaUnavailableException("CUDA device " + ordinal + " requested but the driver reports " + count
                    + " device(s)");
        }
        this.device = driver.device(ordinal);
        this.name = driver.deviceName(device);
        this.computeCapability = 10 * driver.deviceAttribute(CudaDriver.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, device)
                + driver.deviceAttribute(CudaDriver.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, device);
        this.multiprocessors = driver.deviceAttribute(CudaDriver.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT, device);
        this.maxSharedOptIn = driver.deviceAttribute(CudaDriver.CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN, device);
        this.context = driver.primaryContextRetain(device);
        driver.setCurrentContext(context);
        current.set(true);
        this.stream = driver.streamCreate(CudaDriver.CU_STREAM_NON_BLOCKING);
    }

    /** The context of device {@code -Donerec4j.cuda.device} (default 0), created on first use. */
    public static CudaContext get() {
        CudaContext c = instance;
        if (c != null) {
            c.makeCurrent();
            return c;
        }
        synchronized (CudaContext.class) {
            if (instance == null) {
                instance = new CudaContext(CudaDriver.get(), Integer.getInteger("onerec4j.cuda.device", 0));
            }
            instance.makeCurrent();
            return instance;
        }
    }

    /** Binds the context to the calling thread (once per thread). */
    public void makeCurrent() {
        if (!current.get()) {
            driver.setCurrentContext(context);
            current.set(true);
        }
    }

    public CudaDriver driver() {
        return driver;
    }

    public long stream() {
        return stream;
    }

    public String deviceName() {
        return name;
    }

    /** Compute capability as {@code 10 * major + minor} (90 for Hopper). */
    public int computeCapability() {
        return computeCapability;
    }

    public int multiprocessors() {
        return multiprocessors;
    }

    public int maxSharedOptIn() {
        return maxSharedOptIn;
    }

    /** Waits for everything issued on the stream. */
    public void synchronize() {
        makeCurrent();
        driver.streamSynchronize(stream);
    }

    /** The NVRTC options every module is compiled with. */
    public static List<String> compileOptions(int computeCapability) {
        return List.of("--gpu-architecture=sm_" + computeCapability, "-std=c++17", "-DONEREC4J_NVRTC=1");
    }

    private KernelCache cache() {
        KernelCache c = cache;
        if (c == null) {
            synchronized (this) {
                if (cache == null) {
                    cache = new KernelCache(KernelCache.defaultRoot(), Nvrtc.get());
                }
                c = cache;
            }
        }
        return c;
    }

    private long module(String source) {
        Long m = modules.get(source);
        if (m != null) {
            return m;
        }
        synchronized (this) {
            m = modules.get(source);
            if (m != null) {
                return m;
            }
            byte[] cubin = cache().load(source, KernelSources.read(source), KernelSources.headers(),
                    compileOptions(computeCapability), computeCapability);
            long handle;
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment image = arena.allocate(cubin.length + 1L, 16);
                MemorySegment.copy(cubin, 0, image, ValueLayout.JAVA_BYTE, 0, cubin.length);
                makeCurrent();
                handle = driver.moduleLoadData(image);
            }
            modules.put(source, handle);
            return handle;
        }
    }

    /** The kernel {@code kernel} of module {@code source} (compiled and loaded on first use). */
    public long function(String source, String kernel) {
        String key = source + '#' + kernel;
        Long f = functions.get(key);
        if (f != null) {
            return f;
        }
        long handle = driver.moduleFunction(module(source), kernel);
        functions.put(key, handle);
        return handle;
    }

    /**
     * Launches {@code kernel} of {@code source} on the stream with the arguments gathered in {@code args}. Dynamic
     * shared memory above 48 KiB is opted into once per kernel, up to the device's limit.
     */
    public void launch(String source, String kernel, LaunchConfig config, KernelArgs args) {
        makeCurrent();
        long f = function(source, kernel);
        if (config.sharedBytes() > DEFAULT_SHARED_LIMIT) {
            if (config.sharedBytes() > maxSharedOptIn) {
                throw new IllegalArgumentException(kernel + " needs " + config.sharedBytes()
                        + " bytes of shared memory per block; " + name + " allows " + maxSharedOptIn);
            }
            Integer set = sharedOptIn.get(f);
            if (set == null || set < config.sharedBytes()) {
                driver.functionSetAttribute(f, CudaDriver.CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES, config.sharedBytes());
                sharedOptIn.put(f, config.sharedBytes());
            }
        }
        driver.launch(kernel, f, config, stream, args.pointerArray());
    }

    @Override
    public String toString() {
        return name + " (sm_" + computeCapability + ", " + multiprocessors + " SMs)";
    }
}
