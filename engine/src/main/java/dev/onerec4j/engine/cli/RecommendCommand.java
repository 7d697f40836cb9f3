package dev.onerec4j.engine.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.onerec4j.engine.UserException;
import dev.onerec4j.engine.serve.HistoryEntry;
import dev.onerec4j.engine.serve.InvalidRequestException;
import dev.onerec4j.engine.serve.Recommendation;
import dev.onerec4j.engine.serve.RecommendRequest;
import dev.onerec4j.engine.serve.RecommendedItem;
import dev.onerec4j.engine.serve.Recommender;
import dev.onerec4j.engine.serve.RecommenderOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code recommend}: one recommendation from a run folder, printed as a table (or JSON). */
@Command(name = "recommend", mixinStandardHelpOptions = true,
        description = "Recommend items for a history with a trained run (no server, no data set needed).")
public final class RecommendCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "RUN", description = "Run folder written by train.")
    Path model;

    @Option(names = "--history", required = true, split = ",", paramLabel = "ID",
            description = "The user's items, oldest first, comma separated (e.g. 12,7,99).")
    List<String> history;

    @Option(names = "-k", defaultValue = "10", description = "How many items (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--beam", defaultValue = "0", description = "Beam width (default: the run's, at least k).")
    int beam;

    @Option(names = "--user-feature", paramLabel = "NAME=VALUE", description = "A categorical user feature (repeatable).")
    List<String> userFeatures;

    @Option(names = "--exclude", split = ",", paramLabel = "ID", description = "Items not to recommend.")
    List<String> exclude;

    @Option(names = "--keep-history", description = "Allow items of the history in the answer.")
    boolean keepHistory;

    @Option(names = "--user", description = "The user's id (for models that embed user ids).")
    String user;

    @Option(names = "--json", description = "Print the answer as JSON.")
    boolean json;

    @Mixin
    RewardOptions rewardOptions = new RewardOptions();

    @Override
    public Integer call() throws Exception {
        Map<String, String> features = new LinkedHashMap<>();
        if (userFeatures != null) {
            for (String f : userFeatures) {
                int eq = f.indexOf('=');
                if (eq <= 0) {
                    throw new UserException("--user-feature must be NAME=VALUE, got '" + f + "'");
                }
                features.put(f.substring(0, eq), f.substring(eq + 1));
            }
        }
        List<HistoryEntry> entries = new ArrayList<>();
        for (String id : history) {
            entries.add(HistoryEntry.of(id.strip()));
        }
        RecommendRequest request = new RecommendRequest(user, features, entries, k, beam,
                exclude == null ? List.of() : exclude, keepHistory);
        RecommenderOptions options = rewardOptions.apply(RecommenderOptions.defaults().withWorkers(1));
        try (Recommender rec = Recommender.open(model, options)) {
            long t0 = System.nanoTime();
            Recommendation r;
            try {
                r = rec.recommend(request);
            } catch (InvalidRequestException e) {
                throw new UserException(optionOf(e.field()) + ": " + e.problem());
            }
            double ms = (System.nanoTime() - t0) / 1e6;
            if (json) {
                System.out.println(toJson(r));
            } else {
                print(r, ms);
            }
        }
        return 0;
    }

    private static String optionOf(String field) {
        if (field.startsWith("history")) {
            return "--history";
        }
        return switch (field) {
            case "k" -> "-k";
            case "beamWidth" -> "--beam";
            case "user" -> "--user";
            default -> field.startsWith("userFeatures") ? "--user-feature" : field.startsWith("exclude") ? "--exclude"
                    : field;
        };
    }

    private static void print(Recommendation r, double ms) {
        boolean titles = r.items().stream().anyMatch(i -> !i.title().isEmpty());
        System.out.printf(Locale.ROOT, "%4s  %-20s %10s  %-16s %s%n", "rank", "item", "score", "semantic ID",
                titles ? "title" : "");
        int rank = 1;
        for (RecommendedItem item : r.items()) {
            System.out.printf(Locale.ROOT, "%4d  %-20s %10.4f  %-16s %s%n", rank++, item.id(), item.score(),
                    Arrays.toString(item.sid()), item.title());
        }
        if (!r.unknownHistoryItems().isEmpty()) {
            System.out.println("ignored unknown history items: " + String.join(", ", r.unknownHistoryItems()));
        }
        if (!r.unknownFeatureValues().isEmpty()) {
            System.out.println("unknown user feature values (treated as missing): "
                    + String.join(", ", r.unknownFeatureValues()));
        }
        System.out.printf(Locale.ROOT, "model %s, beam %d, %.1f ms%n", r.modelVersion(), r.beamWidth(), ms);
    }

    private static String toJson(Recommendation r) throws Exception {
        ObjectMapper m = new ObjectMapper();
        ObjectNode o = m.createObjectNode();
        ArrayNode items = o.putArray("items");
        for (RecommendedItem item : r.items()) {
            ObjectNode i = items.addObject().put("id", item.id()).put("score", item.score());
            ArrayNode sid = i.putArray("sid");
            Arrays.stream(item.sid()).forEach(sid::add);
            if (!item.title().isEmpty()) {
                i.put("title", item.title());
            }
        }
        ArrayNode unknown = o.putArray("unknownHistoryItems");
        r.unknownHistoryItems().forEach(unknown::add);
        o.put("beamWidth", r.beamWidth()).put("model", r.modelVersion());
        return m.writeValueAsString(o);
    }
}
