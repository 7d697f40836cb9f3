package dev.onerec4j.engine.cli;

import dev.onerec4j.engine.data.Dataset;
import dev.onerec4j.engine.data.Histories;
import dev.onerec4j.engine.data.ItemCatalog;
import dev.onerec4j.engine.data.split.Examples;
import dev.onerec4j.engine.data.split.LeaveOneOutSplit;
import dev.onerec4j.engine.data.synthetic.PlantedCeiling;
import dev.onerec4j.engine.data.synthetic.SyntheticWorld;
import dev.onerec4j.engine.train.TrainedRun;
import dev.onerec4j.tensors.GradMode;
import dev.onerec4j.tensors.MemoryScope;

import java.nio.file.Path;
import java.util.Locale;

/** Prints a few users' recent history and their recommendations, with what the generated world knows about them. */
final class QuickstartExamples {

    private QuickstartExamples() {
    }

    static void print(Path run, Dataset dataset, SyntheticWorld world, int users) {
        LeaveOneOutSplit split = LeaveOneOutSplit.of(dataset.histories());
        Examples test = split.test();
        Histories h = dataset.histories();
        ItemCatalog items = dataset.items();
        try (TrainedRun trained = TrainedRun.open(run, dataset);
             var g = GradMode.disabled(); MemoryScope scope = MemoryScope.open("examples")) {
            int n = Math.min(users, test.size());
            int[] u = new int[n];
            int[] p = new int[n];
            for (int i = 0; i < n; i++) {
                u[i] = test.user(i);
                p[i] = test.position(i);
            }
            int[][] lists = trained.ranker(trained.info().config().eval.beamWidth).rank(u, p, 5, true);
            for (int i = 0; i < n; i++) {
                double[] truth = world.trueNextItemDistribution(test, i);
                int[] best = PlantedCeiling.topK(truth, 10);
                System.out.printf(Locale.ROOT, "%nuser %s, last interactions:%n", dataset.users().externalId(u[i]));
                for (int q = Math.max(0, p[i] - 4); q < p[i]; q++) {
                    int item = h.item(h.row(u[i], q));
                    System.out.printf(Locale.ROOT, "    %-6s cluster %2d  %s%n", items.externalId(item), world.cluster(item),
                            items.className(items.classLabel(item)));
                }
                System.out.println("  recommended (true probability of being next; * = in the true top 10):");
                for (int item : lists[i]) {
                    boolean top = java.util.Arrays.stream(best).anyMatch(b -> b == item);
                    System.out.printf(Locale.ROOT, "    %-6s cluster %2d  p=%.3f %s%n", items.externalId(item),
                            world.cluster(item), truth[item], top ? "*" : "");
                }
                int target = test.targetItem(i);
                System.out.printf(Locale.ROOT, "  held-out next item: %s (cluster %d)%n", items.externalId(target),
                        world.cluster(target));
            }
        }
    }
}
