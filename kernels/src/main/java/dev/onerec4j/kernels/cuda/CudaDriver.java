package dev.onerec4j.kernels.cuda;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The part of the CUDA driver API ({@code libcuda.so.1}) this project uses, bound through FFM. Handles (contexts,
 * streams, events, modules, functions, graphs) and device pointers are passed as {@code long}: on x86-64 and
 * AArch64 a pointer and a 64-bit integer travel in the same registers. Every call checks its {@code CUresult}
 * and throws a {@link CudaException} naming the call and the driver's error name and description.
 *
 * <p>Versioned entry points are bound by the names {@code cuda.h} maps the plain names to ({@code cuMemAlloc_v2},
 * {@code cuEventElapsedTime_v2}, ...), falling back to the plain name for older drivers.
 */
public final class CudaDriver {

    public static final int CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK = 8;
    public static final int CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT = 16;
    public static final int CU_DEVICE_ATTRIBUTE_L2_CACHE_SIZE = 38;
    public static final int CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR = 75;
    public static final int CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR = 76;
    public static final int CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN = 97;
    public static final int CU_FUNC_ATTRIBUTE_MAX_THREADS_PER_BLOCK = 0;
    public static final int CU_FUNC_ATTRIBUTE_NUM_REGS = 4;
    public static final int CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES = 8;
    public static final int CU_STREAM_NON_BLOCKING = 1;
    public static final int CU_EVENT_DEFAULT = 0;
    public static final int CU_EVENT_DISABLE_TIMING = 2;
    public static final int CU_STREAM_CAPTURE_MODE_GLOBAL = 0;
    public static final int CU_STREAM_CAPTURE_MODE_THREAD_LOCAL = 1;
    public static final int CU_STREAM_CAPTURE_MODE_RELAXED = 2;

    private static volatile CudaDriver instance;
    private static volatile CudaUnavailableException failure;

    private final NativeLibrary lib;
    private final MethodHandle cuInit;
    private final MethodHandle cuDriverGetVersion;
    private final MethodHandle cuGetErrorName;
    private final MethodHandle cuGetErrorString;
    private final MethodHandle cuDeviceGetCount;
    private final MethodHandle cuDeviceGet;
    private final MethodHandle cuDeviceGetName;
    private final MethodHandle cuDeviceGetAttribute;
    private final MethodHandle cuDevicePrimaryCtxRetain;
    private final MethodHandle cuDevicePrimaryCtxRelease;
    private final MethodHandle cuCtxSetCurrent;
    private final MethodHandle cuCtxSynchronize;
    private final MethodHandle cuMemGetInfo;
    private final MethodHandle cuMemAlloc;
    private final MethodHandle cuMemFree;
    private final MethodHandle cuMemcpyHtoDAsync;
    private final MethodHandle cuMemcpyDtoHAsync;
    private final MethodHandle cuMemcpyDtoDAsync;
    private final MethodHandle cuMemsetD8Async;
    private final MethodHandle cuMemsetD16Async;
    private final MethodHandle cuMemsetD32Async;
    private final MethodHandle cuStreamCreate;
    private final MethodHandle cuStreamDestroy;
    private final MethodHandle cuStreamSynchronize;
    private final MethodHandle cuStreamWaitEvent;
    private final MethodHandle cuEventCreate;
    private final MethodHandle cuEventRecord;
    private final MethodHandle cuEventSynchronize;
    private final MethodHandle cuEventElapsedTime;
    private final MethodHandle cuEventDestroy;
    private final MethodHandle cuModuleLoadData;
    private final MethodHandle cuModuleUnload;
    private final MethodHandle cuModuleGetFunction;
    private final MethodHandle cuFuncSetAttribute;
    private final MethodHandle cuFuncGetAttribute;
    private final MethodHandle cuLaunchKernel;
    private final MethodHandle cuStreamBeginCapture;
    private final MethodHandle cuStreamEndCapture;
    private final MethodHandle cuGraphInstantiate;
    private final MethodHandle cuGraphLaunch;
    private final MethodHandle cuGraphExecDestroy;
    private final MethodHandle cuGraphDestroy;

    private CudaDriver(NativeLibrary lib) {
        this.lib = lib;
        FunctionDescriptor iI = FunctionDescriptor.of(JAVA_INT, JAVA_INT);
        FunctionDescriptor iA = FunctionDescriptor.of(JAVA_INT, ADDRESS);
        FunctionDescriptor iL = FunctionDescriptor.of(JAVA_INT, JAVA_LONG);
        FunctionDescriptor iLL = FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG);
        cuInit = lib.function(iI, "cuInit");
        cuDriverGetVersion = lib.function(iA, "cuDriverGetVersion");
        cuGetErrorName = lib.function(FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS), "cuGetErrorName");
        cuGetErrorString = lib.function(FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS), "cuGetErrorString");
        cuDeviceGetCount = lib.function(iA, "cuDeviceGetCount");
        cuDeviceGet = lib.function(FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), "cuDeviceGet");
        cuDeviceGetName = lib.function(FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), "cuDeviceGetName");
        cuDeviceGetAttribute = lib.function(FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), "cuDeviceGetAttribute");
        cuDevicePrimaryCtxRetain = lib.function(FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), "cuDevicePrimaryCtxRetain");
        cuDevicePrimaryCtxRelease = lib.function(iI, "cuDevicePrimaryCtxRelease_v2", "cuDevicePrimaryCtxRelease");
        cuCtxSetCurrent = lib.function(iL, "cuCtxSetCurrent");
        cuCtxSynchronize = lib.function(FunctionDescriptor.of(JAVA_INT), "cuCtxSynchronize");
        cuMemGetInfo = lib.function(FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS), "cuMemGetInfo_v2");
        cuMemAlloc = lib.function(FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG), "cuMemAlloc_v2");
        cuMemFree = lib.function(iL, "cuMemFree_v2");
        cuMemcpyHtoDAsync = lib.function(FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS, JAVA_LONG, JAVA_LONG), "cuMemcpyHtoDAsync_v2");
        cuMemcpyDtoHAsync = lib.function(FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_LONG), "cuMemcpyDtoHAsync_v2");
        cuMemcpyDtoDAsync = lib.function(FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG), "cuMemcpyDtoDAsync_v2");
        cuMemsetD8Async = lib.function(FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG), "cuMemsetD8Async");
        cuMemsetD16Async = lib.function(FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG), "cuMemsetD16Async");
        cuMemsetD32Async = lib.function(FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG), "cuMemsetD32Async");
        cuStreamCreate = lib.function(FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), "cuStreamCreate");
        cuStreamDestroy = lib.function(iL, "cuStreamDestroy_v2", "cuStreamDestroy");
        cuStreamSynchronize = lib.function(iL, "cuStreamSynchronize");
        cuStreamWaitEvent = lib.function(FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT), "cuStreamWaitEvent");
        cuEventCreate = lib.function(FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), "cuEventCreate");
        cuEventRecord = lib.function(iLL, "cuEventRecord");
        cuEventSynchronize = lib.function(iL, "cuEventSynchronize");
        cuEventElapsedTime = lib.function(FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG),
                "cuEventElapsedTime_v2", "cuEventElapsedTime");
        cuEventDestroy = lib.function(iL, "cuEventDestroy_v2", "cuEventDestroy");
        cuModuleLoadData = lib.function(FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS), "cuModuleLoadData");
        cuModuleUnload = lib.function(iL, "cuModuleUnload");
        cuModuleGetFunction = lib.function(FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS), "cuModuleGetFunction");
        cuFuncSetAttribute = lib.function(FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT), "cuFuncSetAttribute");
        cuFuncGetAttribute = lib.function(FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG), "cuFuncGetAttribute");
        cuLaunchKernel = lib.function(FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT,
                JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS, ADDRESS), "cuLaunchKernel");
        cuStreamBeginCapture = lib.function(FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT),
                "cuStreamBeginCapture_v2", "cuStreamBeginCapture");
        cuStreamEndCapture = lib.function(FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS), "cuStreamEndCapture");
        cuGraphInstantiate = lib.function(FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG), "cuGraphInstantiateWithFlags");
        cuGraphLaunch = lib.function(iLL, "cuGraphLaunch");
        cuGraphExecDestroy = lib.function(iL, "cuGraphExecDestroy");
        cuGraphDestroy = lib.function(iL, "cuGraphDestroy");
    }

    /**
     * The driver, loaded and initialised ({@code cuInit}) on first use. Throws {@link CudaUnavailableException}
     * (the same one on every call) when libcuda is missing or the driver reports no usable device.
     */
    public static CudaDriver get() {
        CudaDriver d = instance;
        if (d != null) {
            return d;
        }
        synchronized (CudaDriver.class) {
            if (instance != null) {
                return instance;
            }
            if (failure != null) {
                throw failure;
            }
            try {
                NativeLibrary lib = NativeLibrary.load(LibraryLocator.fromEnvironment(), "libcuda.so", "1", "");
                CudaDriver driver = new CudaDriver(lib);
                int rc = driver.callInt(driver.cuInit, 0);
                if (rc != 0) {
                    throw new CudaUnavailableException("cuInit failed with " + driver.describe(rc)
                            + CudaErrors.driverHint(rc) + " (driver library " + lib.description() + ")");
                }
                instance = driver;
                return driver;
            } catch (CudaUnavailableException e) {
                failure = e;
                throw e;
            } catch (RuntimeException | LinkageError e) {
                failure = new CudaUnavailableException("cannot use the CUDA driver: " + e, e);
                throw failure;
            }
        }
    }

    /** Where libcuda was loaded from. */
    public String libraryPath() {
        return lib.description();
    }

    // ------------------------------------------------------------------ error handling

    /** {@code NAME (code): description} for a driver status code, through the driver's own tables. */
    public String describe(int code) {
        MemorySegment s = Scratch.get();
        String name = CudaErrors.driverName(code);
        String text = null;
        try {
            if ((int) cuGetErrorName.invokeExact(code, s) == 0) {
                String n = NativeLibrary.cString(s.get(ADDRESS, 0));
                if (n != null) {
                    name = n;
                }
            }
            if ((int) cuGetErrorString.invokeExact(code, s) == 0) {
                text = NativeLibrary.cString(s.get(ADDRESS, 0));
            }
        } catch (Throwable t) {
            // Naming the error must not hide it.
        }
        return name + " (" + code + ")" + (text == null ? "" : ": " + text);
    }

    private void check(String call, int rc) {
        if (rc != 0) {
            throw new CudaException(call, rc, call + " failed: " + describe(rc) + CudaErrors.driverHint(rc));
        }
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }

    private int callInt(MethodHandle h, int arg) {
        try {
            return (int) h.invokeExact(arg);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private void callL(String name, MethodHandle h, long a) {
        int rc;
        try {
            rc = (int) h.invokeExact(a);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        check(name, rc);
    }

    private void callLL(String name, MethodHandle h, long a, long b) {
        int rc;
        try {
            rc = (int) h.invokeExact(a, b);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        check(name, rc);
    }

    // ------------------------------------------------------------------ version, devices, contexts

    public int driverVersion() {
        MemorySegment s = Scratch.get();
        try {
            check("cuDriverGetVersion", (int) cuDriverGetVersion.invokeExact(s));
        } catch (Throwable t) {
            throw rethrow(t);
        }
        return s.get(JAVA_INT, 0);
    }

    public int deviceCount() {
        MemorySegment s = Scratch.get();
        try {
            check("cuDeviceGetCount", (int) cuDeviceGetCount.invokeExact(s));
        } catch (Throwable t) {
            throw rethrow(t);
        }
        return s.get(JAVA_INT, 0);
    }

    public int device(int ordinal) {
        MemorySegment s = Scratch.get();
        try {
            check("cuDeviceGet", (int) cuDeviceGet.invokeExact(s, ordinal));
        } catch (Throwable t) {
            throw rethrow(t);
        }
        return s.get(JAVA_INT, 0);
    }

    public String deviceName(int device) {
        MemorySegment s = Scratch.get();
        try {
            check("cuDeviceGetName", (int) cuDeviceGetName.invokeExact(s, (int) s.byteSize(), device));
        } catch (Throwable t) {
            throw rethrow(t);
        }
        return s.getString(0);
    }

    public int deviceAttribute(int attribute, int device) {
        MemorySegment s = Scratch.get();
        try {
            check("cuDeviceGetAttribute(" + attribute + ")", (int) cuDeviceGetAttribute.invokeExact(s, attribute, device));
        } catch (Throwable t) {
            throw rethrow(t);
        }
        return s.get(JAVA_INT, 0);
    }

    /** Retains the device's primary context (the one the runtime API and cuBLAS share). */
    public long primaryContextRetain(int device) {
        MemorySegment s = Scratch.get();
        try {
            check("cuDevicePrimaryCtxRetain", (int) cuDevicePrimaryCtxRetain.invokeExact(s, device));
        } catch (Throwable t) {
            throw rethrow(t);
        }
        return s.get(JAVA_LONG, 0);
    }

    public void primaryContextRelease(int device) {
        int rc;
        try {
            rc = (int) cuDevicePrimaryCtxRelease.invokeExact(device);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        check("cuDevicePrimaryCtxRelease", rc);
    }

    public void setCurrentContext(long context) {
        callL("cuCtxSetCurrent", cuCtxSetCurrent, context);
    }

    public void contextSynchronize() {
        int rc;
        try {
            rc = (int) cuCtxSynchronize.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
        check("cuCtxSynchronize", rc);
    }

    /** {@code {free, total}} bytes of device memory. */
    public long[] memoryInfo() {
        MemorySegment s = Scratch.get();
        try {
            check("cuMemGetInfo_v2", (int) cuMemGetInfo.invokeExact(s, s.asSlice(8)));
        } catch (Throwable t) {
            throw rethrow(t);
        }
        return new long[] {s.get(JAVA_LONG, 0), s.get(JAVA_LONG, 8)};
    }

    // ------------------------------------------------------------------ memory

    public long memAlloc(long bytes) {
        MemorySegment s = Scratch.get();
        int rc;
        try {
            rc = (int) cuMemAlloc.invokeExact(s, bytes);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        if (rc != 0) {
            throw new CudaException("cuMemAlloc_v2", rc, "cuMemAlloc_v2 of " + bytes + " bytes failed: " + describe(rc)
                    + CudaErrors.driverHint(rc));
        }
        return s.get(JAVA_LONG, 0);
    }

    public void memFree(long pointer) {
        callL("cuMemFree_v2", cuMemFree, pointer);
    }

    /** Host to device on {@code stream}; the host memory must stay valid until the stream reaches the copy. */
    public void copyHostToDevice(long dst, MemorySegment src, long bytes, long stream) {
        int rc;
        try {
            rc = (int) cuMemcpyHtoDAsync.invokeExact(dst, src, bytes, stream);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        check("cuMemcpyHtoDAsync_v2", rc);
    }

    /** Device to host on {@code stream}; synchronize the stream before reading {@code dst}. */
    public void copyDeviceToHost(MemorySegment dst, long src, long bytes, long stream) {
        int rc;
        try {
            rc = (int) cuMemcpyDtoHAsync.invokeExact(dst, src, bytes, stream);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        check("cuMemcpyDtoHAsync_v2", rc);
    }

    public void copyDeviceToDevice(long dst, long src, long bytes, long stream) {
        int rc;
        try {
            rc = (int) cuMemcpyDtoDAsync.invokeExact(dst, src, bytes, stream);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        check("cuMemcpyDtoDAsync_v2", rc);
    }

    public void memsetD8(long dst, byte value, long count, long stream) {
        memset("cuMemsetD8Async", cuMemsetD8Async, dst, value & 0xff, count, stream);
    }

    public void memsetD16(long dst, short value, long count, long stream) {
        memset("cuMemsetD16Async", cuMemsetD16Async, dst, value & 0xffff, count, stream);
    }

    public void memsetD32(long dst, int value, long count, long stream) {
        memset("cuMemsetD32Async", cuMemsetD32Async, dst, value, count, stream);
    }

    private void memset(String name, MethodHandle h, long dst, int value, long count, long stream) {
        int rc;
        try {
            rc = (int) h.invokeExact(dst, value, count, stream);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        check(name, rc);
    }

    // ------------------------------------------------------------------ streams and events

    public long streamCreate(int flags) {
        MemorySegment s = Scratch.get();
        try {
            check("cuStreamCreate", (int) cuStreamCreate.invokeExact(s, flags));
        } catch (Throwable t) {
            throw rethrow(t);
        }
        return s.get(JAVA_LONG, 0);
    }

    public void streamDestroy(long stream) {
        callL("cuStreamDestroy_v2", cuStreamDestroy, stream);
    }

    public void streamSynchronize(long stream) {
        callL("cuStreamSynchronize", cuStreamSynchronize, stream);
    }

    public void streamWaitEvent(long stream, long event) {
        int rc;
        try {
            rc = (int) cuStreamWaitEvent.invokeExact(stream, event, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        check("cuStreamWaitEvent", rc);
    }

    public long eventCreate(int flags) {
        MemorySegment s = Scratch.get();
        try {
            check("cuEventCreate", (int) cuEventCreate.invokeExact(s, flags));
        } catch (Throwable t) {
            throw rethrow(t);
        }
        return s.get(JAVA_LONG, 0);
    }

    public void eventRecord(long event, long stream) {
        callLL("cuEventRecord", cuEventRecord, event, stream);
    }

    public void eventSynchronize(long event) {
        callL("cuEventSynchronize", cuEventSynchronize, event);
    }

    /** Milliseconds between two recorded (and completed) events. */
    public float eventElapsedMillis(long start, long end) {
        MemorySegment s = Scratch.get();
        try {
            check("cuEventElapsedTime", (int) cuEventElapsedTime.invokeExact(s, start, end));
        } catch (Throwable t) {
            throw rethrow(t);
        }
        return s.get(JAVA_FLOAT, 0);
    }

    public void eventDestroy(long event) {
        callL("cuEventDestroy_v2", cuEventDestroy, event);
    }

    // ------------------------------------------------------------------ modules and launches

    /** Loads a module from a cubin or NUL-terminated PTX image in native memory. */
    public long moduleLoadData(MemorySegment image) {
        MemorySegment s = Scratch.get();
        try {
            check("cuModuleLoadData", (int) cuModuleLoadData.invokeExact(s, image));
        } catch (Throwable t) {
            throw rethrow(t);
        }
        return s.get(JAVA_LONG, 0);
    }

    public void moduleUnload(long module) {
        callL("cuModuleUnload", cuModuleUnload, module);
    }

    public long moduleFunction(long module, String name) {
        MemorySegment s = Scratch.get();
        MemorySegment cname = s.asSlice(16);
        if (name.length() + 1 > cname.byteSize()) {
            throw new IllegalArgumentException("kernel name too long: " + name);
        }
        cname.setString(0, name);
        int rc;
        try {
            rc = (int) cuModuleGetFunction.invokeExact(s, module, cname);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        if (rc != 0) {
            throw new CudaException("cuModuleGetFunction", rc, "cuModuleGetFunction(\"" + name + "\") failed: "
                    + describe(rc));
        }
        return s.get(JAVA_LONG, 0);
    }

    public void functionSetAttribute(long function, int attribute, int value) {
        int rc;
        try {
            rc = (int) cuFuncSetAttribute.invokeExact(function, attribute, value);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        check("cuFuncSetAttribute(" + attribute + ", " + value + ")", rc);
    }

    public int functionAttribute(long function, int attribute) {
        MemorySegment s = Scratch.get();
        try {
            check("cuFuncGetAttribute(" + attribute + ")", (int) cuFuncGetAttribute.invokeExact(s, attribute, function));
        } catch (Throwable t) {
            throw rethrow(t);
        }
        return s.get(JAVA_INT, 0);
    }

    /** Launches {@code function}; {@code params} is the {@code void**} array built by {@link KernelArgs}. */
    public void launch(String name, long function, LaunchConfig c, long stream, MemorySegment params) {
        int rc;
        try {
            rc = (int) cuLaunchKernel.invokeExact(function, c.gridX(), c.gridY(), c.gridZ(), c.blockX(), c.blockY(), 1,
                    c.sharedBytes(), stream, params, MemorySegment.NULL);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        if (rc != 0) {
            throw new CudaException("cuLaunchKernel", rc, "cuLaunchKernel(" + name + ", " + c + ") failed: "
                    + describe(rc));
        }
    }

    // ------------------------------------------------------------------ graphs

    public void streamBeginCapture(long stream, int mode) {
        int rc;
        try {
            rc = (int) cuStreamBeginCapture.invokeExact(stream, mode);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        check("cuStreamBeginCapture", rc);
    }

    /** Ends a capture and returns the captured graph. */
    public long streamEndCapture(long stream) {
        MemorySegment s = Scratch.get();
        try {
            check("cuStreamEndCapture", (int) cuStreamEndCapture.invokeExact(stream, s));
        } catch (Throwable t) {
            throw rethrow(t);
        }
        return s.get(JAVA_LONG, 0);
    }

    public long graphInstantiate(long graph) {
        MemorySegment s = Scratch.get();
        try {
            check("cuGraphInstantiateWithFlags", (int) cuGraphInstantiate.invokeExact(s, graph, 0L));
        } catch (Throwable t) {
            throw rethrow(t);
        }
        return s.get(JAVA_LONG, 0);
    }

    public void graphLaunch(long graphExec, long stream) {
        callLL("cuGraphLaunch", cuGraphLaunch, graphExec, stream);
    }

    public void graphExecDestroy(long graphExec) {
        callL("cuGraphExecDestroy", cuGraphExecDestroy, graphExec);
    }

    public void graphDestroy(long graph) {
        callL("cuGraphDestroy", cuGraphDestroy, graph);
    }

    /** Whether a driver entry point this class does not bind is exported (diagnostics). */
    public boolean exports(String symbol) {
        Optional<java.lang.invoke.MethodHandle> h = lib.optionalFunction(FunctionDescriptor.of(JAVA_INT), symbol);
        return h.isPresent();
    }
}
