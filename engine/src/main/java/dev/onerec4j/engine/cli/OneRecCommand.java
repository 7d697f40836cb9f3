package dev.onerec4j.engine.cli;

import picocli.CommandLine.Command;

/** The root command: {@code java -jar engine.jar <command>}. */
@Command(name = "engine.jar",
        mixinStandardHelpOptions = true,
        versionProvider = VersionCommand.Provider.class,
        description = "onerec4j: an end-to-end generative recommender (OneRec) in pure Java.",
        subcommands = {
                VersionCommand.class,
                BenchCommand.class,
                TokenizeCommand.class, TokenizerAddCommand.class,
                TrainCommand.class,
                EvalCommand.class,
                SimulateCommand.class,
                TrainRewardCommand.class,
                AlignCommand.class,
                QuickstartCommand.class,
                ServeCommand.class, RecommendCommand.class,
        })
public final class OneRecCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
