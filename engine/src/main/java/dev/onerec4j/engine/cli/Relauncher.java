package dev.onerec4j.engine.cli;

import dev.onerec4j.engine.BuildInfo;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes {@code java -jar engine.jar ...} work on a plain JDK 25. A jar launched that way runs on the class path,
 * where a manifest cannot add the incubator Vector API module; so when the module is missing, the launcher starts
 * a child JVM with the engine's flags (the module, native access and the opens its libraries need), the same
 * user JVM options, class path and arguments, forwards its standard streams, and exits with its status.
 */
final class Relauncher {

    static final String MARKER = "onerec4j.relaunched";

    private Relauncher() {
    }

    static boolean needed() {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty() && System.getProperty(MARKER) == null;
    }

    static int relaunch(String[] args) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.addAll(BuildInfo.jvmFlags());
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.add("-D" + MARKER + "=true");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.addAll(List.of(args));
        try {
            Process child = new ProcessBuilder(cmd).inheritIO().start();
            // Forward termination (Ctrl-C, SIGTERM) so a serving child shuts down gracefully too.
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                if (child.isAlive()) {
                    child.destroy();
                    try {
                        child.waitFor();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }));
            return child.waitFor();
        } catch (Exception e) {
            System.err.println("error: could not start the engine JVM (" + e.getMessage() + "); run it directly with: "
                    + "java " + String.join(" ", BuildInfo.jvmFlags()) + " -jar engine.jar ...");
            return 1;
        }
    }
}
