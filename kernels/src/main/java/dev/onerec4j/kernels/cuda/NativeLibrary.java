package dev.onerec4j.kernels.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One loaded shared library and downcall handles into it. Libraries stay loaded for the life of the process
 * (global arena): the CUDA stack is never unloaded while kernels may still run.
 */
public final class NativeLibrary {

    private static final Linker LINKER = Linker.nativeLinker();

    private final String description;
    private final SymbolLookup lookup;

    private NativeLibrary(String description, SymbolLookup lookup) {
        this.description = description;
        this.lookup = lookup;
    }

    /**
     * Loads library {@code baseName}: from the first directory of {@code locator} that holds it, else by its
     * preferred names through the dynamic loader. Fails with a {@link CudaUnavailableException} that names
     * every place it looked.
     */
    public static NativeLibrary load(LibraryLocator locator, String baseName, String... preferredVersions) {
        List<String> tried = new ArrayList<>();
        Optional<Path> file = locator.find(baseName, preferredVersions);
        if (file.isPresent()) {
            try {
                return new NativeLibrary(file.get().toString(), SymbolLookup.libraryLookup(file.get(), Arena.global()));
            } catch (IllegalArgumentException | IllegalCallerException e) {
                tried.add(file.get() + " (" + e.getMessage() + ")");
            }
        }
        for (String name : LibraryLocator.dynamicLoaderNames(baseName, preferredVersions)) {
            try {
                return new NativeLibrary(name, SymbolLookup.libraryLookup(name, Arena.global()));
            } catch (IllegalArgumentException | IllegalCallerException e) {
                tried.add(name + " via the dynamic loader");
            }
        }
        throw new CudaUnavailableException("cannot load " + baseName + ": looked in " + locator.directories()
                + (tried.isEmpty() ? "" : " and tried " + tried)
                + "; install the CUDA toolkit/driver or point -Donerec4j.cuda.libDir (or CUDA_HOME) at its libraries");
    }

    /** Where the library was loaded from. */
    public String description() {
        return description;
    }

    /** A handle on the first of {@code names} the library exports (versioned names first), or an error naming them. */
    public MethodHandle function(FunctionDescriptor descriptor, String... names) {
        return optionalFunction(descriptor, names).orElseThrow(() -> new CudaUnavailableException(
                description + " does not export " + String.join(" or ", names)
                        + ": the library is older than this program needs"));
    }

    public Optional<MethodHandle> optionalFunction(FunctionDescriptor descriptor, String... names) {
        for (String name : names) {
            Optional<MemorySegment> symbol = lookup.find(name);
            if (symbol.isPresent()) {
                return Optional.of(LINKER.downcallHandle(symbol.get(), descriptor));
            }
        }
        return Optional.empty();
    }

    /** Reads the NUL-terminated string at a native address (null address gives null). */
    public static String cString(MemorySegment address) {
        if (address == null || address.equals(MemorySegment.NULL)) {
            return null;
        }
        return address.reinterpret(Long.MAX_VALUE).getString(0);
    }
}
