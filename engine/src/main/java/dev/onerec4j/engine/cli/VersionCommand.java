package dev.onerec4j.engine.cli;

import dev.onerec4j.engine.BuildInfo;
import dev.onerec4j.kernels.Parallel;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

/** Prints the version, the Java runtime and the compute setup. */
@Command(name = "version", description = "Print the version, the Java runtime and the compute setup.")
public final class VersionCommand implements Runnable {

    @Override
    public void run() {
        for (String line : lines()) {
            System.out.println(line);
        }
    }

    static String[] lines() {
        return new String[] {
                "onerec4j " + BuildInfo.version(),
                "java " + Runtime.version() + " (" + System.getProperty("java.vm.vendor") + ")",
                "vector species: " + jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.vectorBitSize() + "-bit, "
                        + "threads: " + Parallel.threads()
        };
    }

    /** Supplies {@code --version}. */
    public static final class Provider implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return lines();
        }
    }
}
