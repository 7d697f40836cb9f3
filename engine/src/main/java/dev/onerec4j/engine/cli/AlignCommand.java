package dev.onerec4j.engine.cli;

import dev.onerec4j.engine.UserException;
import dev.onerec4j.engine.align.AlignConfig;
import dev.onerec4j.engine.align.AlignPipeline;
import dev.onerec4j.engine.align.ClipVariant;
import dev.onerec4j.engine.align.Sampling;
import dev.onerec4j.engine.data.Dataset;
import dev.onerec4j.engine.data.DatasetFormat;
import dev.onerec4j.engine.data.synthetic.SyntheticWorld;
import dev.onerec4j.engine.data.synthetic.WorldFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** Preference alignment of a trained OneRec run with ECPO against a reward (report section 2.4). */
@Command(name = "align", mixinStandardHelpOptions = true,
        description = "Align a trained OneRec run with a reward by ECPO (group samples from the current policy, "
                + "group-normalised advantages, early clipping, no KL, jointly with the supervised loss) and write "
                + "the aligned model as a new run folder; prints the top-k before and after.")
public final class AlignCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, description = "Run folder of the trained model.")
    Path model;

    @Option(names = "--reward", description = "Reward model folder (train-reward); needed for the P-Score reward.")
    Path reward;

    @Option(names = "--out", required = true, description = "Aligned run folder to write.")
    Path out;

    @Option(names = "--data", description = "Data set folder (default: the one the run was trained on).")
    Path data;

    @Option(names = "--format", description = "Data set format (default: the run's).")
    String format;

    @Option(names = "--reward-source", defaultValue = "pscore",
            description = "pscore (the reward model), simulator (true value, an oracle) or feedback (simulated user "
                    + "feedback). Default: ${DEFAULT-VALUE}.")
    String rewardSource;

    @Option(names = "--steps", defaultValue = "200", description = "Optimizer steps. Default: ${DEFAULT-VALUE}.")
    int steps;

    @Option(names = "--lr", defaultValue = "3e-4", description = "Peak learning rate. Default: ${DEFAULT-VALUE}.")
    double lr;

    @Option(names = "--group", defaultValue = "16", description = "Items generated per user (G). Default: ${DEFAULT-VALUE}.")
    int group;

    @Option(names = "--rl-users", defaultValue = "8", description = "Users per step that get a group. Default: ${DEFAULT-VALUE}.")
    int rlUsers;

    @Option(names = "--sampling", defaultValue = "beam", description = "beam or topk. Default: ${DEFAULT-VALUE}.")
    String sampling;

    @Option(names = "--top-k", defaultValue = "16", description = "k of top-k sampling. Default: ${DEFAULT-VALUE}.")
    int topK;

    @Option(names = "--clip", defaultValue = "ecpo", description = "ecpo, gbpo (OneRec-V2) or ppo. Default: ${DEFAULT-VALUE}.")
    String clip;

    @Option(names = "--delta", defaultValue = "0.1", description = "ECPO early-clipping margin. Default: ${DEFAULT-VALUE}.")
    double delta;

    @Option(names = "--epsilon", defaultValue = "0.2", description = "Ratio clipping range. Default: ${DEFAULT-VALUE}.")
    double epsilon;

    @Option(names = "--rl-weight", defaultValue = "1.0", description = "Weight of the RL loss. Default: ${DEFAULT-VALUE}.")
    double rlWeight;

    @Option(names = "--sft-batch", defaultValue = "64",
            description = "Supervised examples per step (0 = RL only). Default: ${DEFAULT-VALUE}.")
    int sftBatch;

    @Option(names = "--sft-weight", defaultValue = "1.0", description = "Weight of the supervised loss. Default: ${DEFAULT-VALUE}.")
    double sftWeight;

    @Option(names = "--refresh-every", defaultValue = "10",
            description = "Steps between policy snapshots for the generator thread (0 = generate on-policy in the "
                    + "training thread). Default: ${DEFAULT-VALUE}.")
    int refreshEvery;

    @Option(names = "--format-reward", description = "Add the format reward (legal unconstrained samples, advantage 1).")
    boolean formatReward;

    @Option(names = "--format-samples", defaultValue = "5", description = "Unconstrained samples used per user. Default: ${DEFAULT-VALUE}.")
    int formatSamples;

    @Option(names = "--sir-class", description = "Industrial reward: the item class to suppress.")
    String sirClass;

    @Option(names = "--sir-target", defaultValue = "0.1", description = "Its target share. Default: ${DEFAULT-VALUE}.")
    double sirTarget;

    @Option(names = "--sir-factor", defaultValue = "0.5", description = "Reward factor above the target. Default: ${DEFAULT-VALUE}.")
    double sirFactor;

    @Option(names = "--duration-shaping", description = "OneRec-V2 duration-aware shaping of simulated feedback "
            + "(with --reward-source feedback).")
    boolean durationShaping;

    @Option(names = "--rsft", description = "Supervised examples only from the top half of sessions by play time.")
    boolean rsft;

    @Option(names = "--eval-users", defaultValue = "1000", description = "Test users measured before and after (0 = all). Default: ${DEFAULT-VALUE}.")
    int evalUsers;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of users, samples and feedback. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--json", description = "Print the outcome (align.json) instead of tables.")
    boolean json;

    @Option(names = "--no-progress", description = "Do not draw a progress bar.")
    boolean noProgress;

    @Override
    public Integer call() throws Exception {
        AlignConfig c = new AlignConfig();
        c.steps = steps;
        c.lr = lr;
        c.group = group;
        c.rlUsers = rlUsers;
        c.sampling = Sampling.parse(sampling);
        c.topK = topK;
        c.clip = ClipVariant.parse(clip);
        c.delta = delta;
        c.epsilon = epsilon;
        c.rlWeight = rlWeight;
        c.sftBatch = sftBatch;
        c.sftWeight = sftWeight;
        c.refreshEvery = refreshEvery;
        c.formatReward = formatReward;
        c.formatSamples = formatSamples;
        c.sirClass = sirClass;
        c.sirTarget = sirTarget;
        c.sirFactor = sirFactor;
        c.durationShaping = durationShaping;
        c.rsft = rsft;
        c.seed = seed;
        c.logEvery = Math.max(1, Math.min(10, steps / 10));
        c.validate();
        AlignPipeline.RewardKind kind = switch (rewardSource.toLowerCase(Locale.ROOT)) {
            case "pscore" -> AlignPipeline.RewardKind.PSCORE;
            case "simulator" -> AlignPipeline.RewardKind.SIMULATOR;
            case "feedback" -> AlignPipeline.RewardKind.FEEDBACK;
            default -> throw new UserException("unknown --reward-source '" + rewardSource
                    + "'; expected pscore, simulator or feedback");
        };
        RunData run = RunData.resolve(model, data, format);
        Dataset dataset = run.read();
        SyntheticWorld world = WorldFile.open(run.data(), dataset).orElse(null);
        AlignPipeline.Outcome o = AlignPipeline.run(new AlignPipeline.Request(model, reward, out, dataset, world, kind,
                c, evalUsers, !noProgress, json ? null : System.out));
        if (json) {
            System.out.println(java.nio.file.Files.readString(out.resolve("align.json")));
            return 0;
        }
        System.out.print("after alignment:\n" + o.after().table());
        System.out.print(AlignSummary.compare(o));
        System.out.println("aligned run: " + out.toAbsolutePath() + " (align.json, align.csv; eval reads it like any run)");
        return 0;
    }
}
