package dev.onerec4j.engine.cli;

import dev.onerec4j.engine.UserException;
import dev.onerec4j.engine.data.synthetic.SyntheticSettings;
import dev.onerec4j.engine.data.synthetic.SyntheticWorld;
import dev.onerec4j.engine.data.synthetic.WorldFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** Writes a simulator world: its logged data as a csv folder plus world.json, so its ground truth stays queryable. */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = "Generate a user-simulator world with known preferences (several feedback types, durations, an "
                + "over-exposed item class) and write its logged data as a csv folder with world.json: train, "
                + "train-reward, align and eval then report the true value of recommended lists.")
public final class SimulateCommand implements Callable<Integer> {

    @Option(names = "--out", required = true, description = "Data folder to write.")
    Path out;

    @Option(names = "--seed", defaultValue = "42", description = "World seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--users", defaultValue = "2000", description = "Users. Default: ${DEFAULT-VALUE}.")
    int users;

    @Option(names = "--items", defaultValue = "1000", description = "Items. Default: ${DEFAULT-VALUE}.")
    int items;

    @Option(names = "--clusters", defaultValue = "40", description = "Latent item clusters. Default: ${DEFAULT-VALUE}.")
    int clusters;

    @Option(names = "--min-length", defaultValue = "20", description = "Shortest history. Default: ${DEFAULT-VALUE}.")
    int minLength;

    @Option(names = "--max-length", defaultValue = "40", description = "Longest history. Default: ${DEFAULT-VALUE}.")
    int maxLength;

    @Option(names = "--over-exposure", defaultValue = "0.1",
            description = "Share of logged impressions the logging policy gives the over-exposed class. Default: ${DEFAULT-VALUE}.")
    double overExposure;

    @Option(names = "--overwrite", description = "Replace the files of an existing data folder.")
    boolean overwrite;

    @Override
    public Integer call() {
        SyntheticSettings s;
        try {
            s = SyntheticSettings.defaults().withSize(users, items, clusters, minLength, maxLength)
                    .withOverExposure(overExposure).withSeed(seed);
        } catch (IllegalArgumentException e) {
            throw new UserException("simulate: " + e.getMessage());
        }
        SyntheticWorld world = SyntheticWorld.create(s);
        world.writeSimulator(out, overwrite);
        System.out.println(world.dataset().summary());
        System.out.println("over-exposed class: " + world.dataset().items().className(world.overExposedClass()));
        System.out.println("simulator data: " + out.toAbsolutePath() + " (csv format, with " + WorldFile.NAME + ")");
        return 0;
    }
}
