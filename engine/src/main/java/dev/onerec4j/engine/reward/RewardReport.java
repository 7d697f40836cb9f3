package dev.onerec4j.engine.reward;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.Locale;
import java.util.Map;

/**
 * What training the reward model achieved, measured on held-out rows (each user's validation and test
 * interactions): the AUC of each tower against its objective's labels and of the P-Score against "any positive
 * objective fired", with the share of positives per objective for scale.
 *
 * @param dataset       the data set's name
 * @param trainRows     logged interactions trained on
 * @param heldOutRows   held-out interactions
 * @param steps         optimizer steps
 * @param finalLoss     mean loss over the last epoch's steps
 * @param towerAuc      per objective (name), held-out AUC
 * @param positiveRate  per objective, share of held-out labels that are 1
 * @param pscoreAuc     held-out AUC of the P-Score against "any positive objective"
 * @param seconds       training wall time
 */
@JsonPropertyOrder({"dataset", "trainRows", "heldOutRows", "steps", "finalLoss", "towerAuc", "positiveRate",
        "pscoreAuc", "seconds"})
public record RewardReport(String dataset, int trainRows, int heldOutRows, long steps, double finalLoss,
                           Map<String, Double> towerAuc, Map<String, Double> positiveRate, double pscoreAuc,
                           double seconds) {

    public String table() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "reward model on %s: %,d training rows, %,d held-out rows, %d steps, "
                + "final loss %.4f (%.1f s)%n", dataset, trainRows, heldOutRows, steps, finalLoss, seconds));
        sb.append("| tower        | held-out AUC | positive rate |\n|--------------|--------------|---------------|\n");
        for (Map.Entry<String, Double> e : towerAuc.entrySet()) {
            sb.append(String.format(Locale.ROOT, "| %-12s | %12.4f | %13.4f |%n", e.getKey(), e.getValue(),
                    positiveRate.get(e.getKey())));
        }
        sb.append(String.format(Locale.ROOT, "| %-12s | %12.4f | %13s |%n", "P-Score", pscoreAuc, "(any positive)"));
        return sb.toString();
    }
}
