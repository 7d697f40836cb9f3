package dev.onerec4j.kernels.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.List;
import java.util.Map;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * NVRTC, the CUDA runtime compiler ({@code libnvrtc.so.13}, or the newest {@code libnvrtc.so.N} found): compiles
 * the project's {@code .cu} sources to a cubin for the GPU it runs on. A failed compilation throws a
 * {@link CudaException} whose message carries the compiler log.
 */
public final class Nvrtc implements KernelCompiler {

    private static volatile Nvrtc instance;
    private static volatile CudaUnavailableException failure;

    private final NativeLibrary lib;
    private final MethodHandle nvrtcVersion;
    private final MethodHandle nvrtcGetErrorString;
    private final MethodHandle nvrtcCreateProgram;
    private final MethodHandle nvrtcCompileProgram;
    private final MethodHandle nvrtcGetProgramLogSize;
    private final MethodHandle nvrtcGetProgramLog;
    private final MethodHandle nvrtcGetCUBINSize;
    private final MethodHandle nvrtcGetCUBIN;
    private final MethodHandle nvrtcDestroyProgram;
    private final int[] version;

    private Nvrtc(NativeLibrary lib) {
        this.lib = lib;
        nvrtcVersion = lib.function(FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS), "nvrtcVersion");
        nvrtcGetErrorString = lib.function(FunctionDescriptor.of(ADDRESS, JAVA_INT), "nvrtcGetErrorString");
        nvrtcCreateProgram = lib.function(FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS),
                "nvrtcCreateProgram");
        nvrtcCompileProgram = lib.function(FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT, ADDRESS), "nvrtcCompileProgram");
        nvrtcGetProgramLogSize = lib.function(FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS), "nvrtcGetProgramLogSize");
        nvrtcGetProgramLog = lib.function(FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS), "nvrtcGetProgramLog");
        nvrtcGetCUBINSize = lib.function(FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS), "nvrtcGetCUBINSize");
        nvrtcGetCUBIN = lib.function(FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS), "nvrtcGetCUBIN");
        nvrtcDestroyProgram = lib.function(FunctionDescriptor.of(JAVA_INT, ADDRESS), "nvrtcDestroyProgram");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment major = arena.allocate(JAVA_INT);
            MemorySegment minor = arena.allocate(JAVA_INT);
            check("nvrtcVersion", (int) nvrtcVersion.invokeExact(major, minor), null);
            version = new int[] {major.get(JAVA_INT, 0), minor.get(JAVA_INT, 0)};
        } catch (CudaException e) {
            throw e;
        } catch (Throwable t) {
            throw new CudaUnavailableException("nvrtcVersion failed: " + t, t);
        }
    }

    /** NVRTC, loaded on first use; throws {@link CudaUnavailableException} (the same one each time) when absent. */
    public static Nvrtc get() {
        Nvrtc n = instance;
        if (n != null) {
            return n;
        }
        synchronized (Nvrtc.class) {
            if (instance != null) {
                return instance;
            }
            if (failure != null) {
                throw failure;
            }
            try {
                LibraryLocator locator = LibraryLocator.fromEnvironment();
                preloadBuiltins(locator);
                instance = new Nvrtc(NativeLibrary.load(locator, "libnvrtc.so", "13", "12"));
                return instance;
            } catch (CudaUnavailableException e) {
                failure = e;
                throw e;
            } catch (RuntimeException | LinkageError e) {
                failure = new CudaUnavailableException("cannot use NVRTC: " + e, e);
                throw failure;
            }
        }
    }

    public String libraryPath() {
        return lib.description();
    }

    /**
     * NVRTC opens {@code libnvrtc-builtins.so.N} by name when it compiles; when the toolkit's library folder is not
     * on the loader's path that fails with {@code NVRTC_ERROR_BUILTIN_OPERATION_FAILURE}. Loading the builtins
     * first, from the folder where libnvrtc is found, makes the later open by name find the loaded library.
     */
    private static void preloadBuiltins(LibraryLocator locator) {
        try {
            NativeLibrary.load(locator, "libnvrtc-builtins.so", "13", "12");
        } catch (CudaUnavailableException e) {
            // Not fatal: NVRTC may still find its builtins itself.
        }
    }

    /** {@code major.minor} of the NVRTC in use (part of the kernel cache key). */
    @Override
    public String version() {
        return version[0] + "." + version[1];
    }

    private String errorString(int code) {
        try {
            String s = NativeLibrary.cString((MemorySegment) nvrtcGetErrorString.invokeExact(code));
            return s == null ? CudaErrors.nvrtcName(code) : s;
        } catch (Throwable t) {
            return CudaErrors.nvrtcName(code);
        }
    }

    private void check(String call, int rc, String log) {
        if (rc != 0) {
            String msg = CudaErrors.message(call, rc, CudaErrors.nvrtcName(rc), errorString(rc));
            if (log != null && !log.isBlank()) {
                msg += "\ncompiler log:\n" + log.strip();
            }
            throw new CudaException(call, rc, msg);
        }
    }

    /**
     * Compiles {@code source} (named {@code name} in messages) with the given {@code #include}-able headers
     * (name to text) and options, and returns the cubin. The options must name a real architecture
     * ({@code --gpu-architecture=sm_XY}) for NVRTC to produce a cubin.
     */
    @Override
    public byte[] compile(String name, String source, Map<String, String> headers, List<String> options) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment prog = arena.allocate(ADDRESS);
            MemorySegment headerTexts = arena.allocate(ADDRESS, Math.max(1, headers.size()));
            MemorySegment headerNames = arena.allocate(ADDRESS, Math.max(1, headers.size()));
            int h = 0;
            for (Map.Entry<String, String> e : headers.entrySet()) {
                headerNames.setAtIndex(ADDRESS, h, arena.allocateFrom(e.getKey()));
                headerTexts.setAtIndex(ADDRESS, h, arena.allocateFrom(e.getValue()));
                h++;
            }
            check("nvrtcCreateProgram(" + name + ")", (int) nvrtcCreateProgram.invokeExact(prog, arena.allocateFrom(source),
                    arena.allocateFrom(name), headers.size(), headerTexts, headerNames), null);
            long program = prog.get(JAVA_LONG, 0);
            try {
                MemorySegment opts = arena.allocate(ADDRESS, Math.max(1, options.size()));
                for (int i = 0; i < options.size(); i++) {
                    opts.setAtIndex(ADDRESS, i, arena.allocateFrom(options.get(i)));
                }
                int rc = (int) nvrtcCompileProgram.invokeExact(program, options.size(), opts);
                String log = programLog(arena, program);
                check("nvrtcCompileProgram(" + name + ", " + options + ")", rc, log);
                MemorySegment size = arena.allocate(JAVA_LONG);
                check("nvrtcGetCUBINSize(" + name + ")", (int) nvrtcGetCUBINSize.invokeExact(program, size), null);
                long bytes = size.get(JAVA_LONG, 0);
                if (bytes <= 0) {
                    throw new CudaException("nvrtcGetCUBIN", 0, "NVRTC produced no cubin for " + name + " with options "
                            + options + ": the options must name a real architecture (sm_XY), not a virtual one");
                }
                MemorySegment cubin = arena.allocate(bytes);
                check("nvrtcGetCUBIN(" + name + ")", (int) nvrtcGetCUBIN.invokeExact(program, cubin), null);
                return cubin.toArray(JAVA_BYTE);
            } finally {
                prog.set(JAVA_LONG, 0, program);
                int rc = (int) nvrtcDestroyProgram.invokeExact(prog);
                if (rc != 0) {
                    System.err.println("warning: nvrtcDestroyProgram failed: " + errorString(rc));
                }
            }
        } catch (CudaException e) {
            throw e;
        } catch (Throwable t) {
            throw new CudaException("nvrtc", -1, "compiling " + name + " failed: " + t);
        }
    }

    private String programLog(Arena arena, long program) throws Throwable {
        MemorySegment size = arena.allocate(JAVA_LONG);
        if ((int) nvrtcGetProgramLogSize.invokeExact(program, size) != 0) {
            return null;
        }
        long n = size.get(JAVA_LONG, 0);
        if (n <= 1) {
            return "";
        }
        MemorySegment log = arena.allocate(n);
        if ((int) nvrtcGetProgramLog.invokeExact(program, log) != 0) {
            return null;
        }
        return log.getString(0);
    }
}
