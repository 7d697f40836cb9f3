package dev.onerec4j.engine.align;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.Locale;
import java.util.Map;

/**
 * What a model's top-k lists are worth beyond Recall/NDCG: the mean P-Score of the listed items (when a reward
 * model is given); on simulator data their true value (the mean over listed items of the simulator's expected
 * weighted engagement, "value@k") and the best item's ("pass@k", the report's best-of-K view); and the share of
 * listed items in a watched class (the over-exposed class on simulator data). On simulator data the ranking
 * metrics include {@code expected_recall@k}: the probability that the list holds the user's next item under the
 * simulator's true next-item distribution, the same Recall@k without the noise of which target was drawn.
 */
@JsonPropertyOrder({"users", "k", "ranking", "meanPScore", "value", "passValue", "classShare", "watchedClass"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AlignmentReport(long users, int k, Map<String, Double> ranking, Double meanPScore, Double value,
                              Double passValue, Double classShare, String watchedClass) {

    public String table() {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, Double> e : ranking.entrySet()) {
            String name = e.getKey().replace("expected_recall", "E[Recall]").replace("recall", "Recall")
                    .replace("ndcg", "NDCG");
            sb.append(String.format(Locale.ROOT, "| %-11s | %.4f |%n", name, e.getValue()));
        }
        if (meanPScore != null) {
            sb.append(String.format(Locale.ROOT, "| P-Score@%-3d | %.4f |  (mean over the listed items)%n", k, meanPScore));
        }
        if (value != null) {
            sb.append(String.format(Locale.ROOT, "| value@%-5d | %.4f |  (simulator: mean true value per listed item)%n",
                    k, value));
            sb.append(String.format(Locale.ROOT, "| pass@%-6d | %.4f |  (simulator: true value of the best listed item)%n",
                    k, passValue));
        }
        if (classShare != null) {
            sb.append(String.format(Locale.ROOT, "| share %-5s | %.4f |  (listed items in class %s)%n", "", classShare,
                    watchedClass));
        }
        return sb.toString();
    }
}
