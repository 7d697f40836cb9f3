package dev.onerec4j.engine.cli;

import dev.onerec4j.engine.UserException;
import picocli.CommandLine;

/** Entry point of {@code engine.jar}. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        if (Relauncher.needed()) {
            System.exit(Relauncher.relaunch(args));
        }
        System.setProperty("chronicle.analytics.disable", "true");
        System.setProperty("java.awt.headless", "true");
        System.exit(run(args));
    }

    /** Runs the CLI in this JVM and returns the exit status (also used by tests). */
    public static int run(String... args) {
        CommandLine cl = new CommandLine(new OneRecCommand());
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            Throwable t = ex;
            while (t != null && !(t instanceof UserException)) {
                t = t.getCause();
            }
            if (t != null) {
                commandLine.getErr().println("error: " + t.getMessage());
                return 2;
            }
            throw ex;
        });
        return cl.execute(args);
    }
}
