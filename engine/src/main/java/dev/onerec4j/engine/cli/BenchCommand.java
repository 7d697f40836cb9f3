package dev.onerec4j.engine.cli;

import picocli.CommandLine.Command;

/** Benchmarks; each measures after JIT warm-up and reports medians. */
@Command(name = "bench", description = "Benchmarks (medians after warm-up).",
        subcommands = {
                BenchGemmCommand.class,
                BenchTokenizeCommand.class,
                BenchTrainCommand.class,
                BenchDecodeCommand.class,
        })
public final class BenchCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
