package dev.onerec4j.engine.eval;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.util.Locale;
import java.util.Map;

/**
 * An evaluation result as JSON and as a table. Every report says whether the users' history items were excluded
 * from the ranking (the S3-Rec/ICLRec convention, the default) or kept, since that moves the numbers.
 *
 * @param model      what ranked (model kind and decoding)
 * @param dataset    the data set's name
 * @param split      {@code valid} or {@code test}
 * @param users      users evaluated
 * @param history    {@code excluded} or {@code kept}
 * @param k          list length
 * @param metrics    Recall@K and NDCG@K by name
 * @param legality   share of unconstrained top-K IDs that name a real item (null when not measured)
 * @param legalityUsers users the legality was measured on
 * @param seconds    evaluation wall time
 */
@JsonPropertyOrder({"model", "dataset", "split", "users", "history", "k", "metrics", "legality", "legalityUsers", "seconds"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EvalReport(String model, String dataset, String split, long users, String history, int k,
                         Map<String, Double> metrics, Double legality, Integer legalityUsers, double seconds) {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A readable table. */
    public String table() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%s on %s, %s split, %,d users, history items %s%n", model, dataset, split,
                users, history));
        sb.append("| metric      | value  |\n|-------------|--------|\n");
        for (Map.Entry<String, Double> e : metrics.entrySet()) {
            String name = e.getKey().replace("recall", "Recall").replace("ndcg", "NDCG");
            sb.append(String.format(Locale.ROOT, "| %-11s | %.4f |%n", name, e.getValue()));
        }
        if (legality != null) {
            sb.append(String.format(Locale.ROOT, "| legality@%-2d | %.4f |  (unconstrained decoding, %d users)%n", k,
                    legality, legalityUsers));
        }
        sb.append(String.format(Locale.ROOT, "(%.1f s)%n", seconds));
        return sb.toString();
    }
}
