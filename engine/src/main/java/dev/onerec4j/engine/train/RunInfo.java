package dev.onerec4j.engine.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.onerec4j.engine.UserException;
import dev.onerec4j.engine.model.config.ConfigLoader;
import dev.onerec4j.engine.model.config.RunConfig;
import dev.onerec4j.engine.sample.FeatureSpace;

import java.io.IOException;
import java.util.List;

/**
 * {@code run.json}: what a run trained (model type, full config, feature space) on which data (path, format), so
 * {@code eval}, {@code recommend} and {@code serve} can rebuild the model from the run folder alone.
 *
 * @param modelType  {@code onerec} or {@code sasrec}
 * @param dataPath   the data set the run was trained on
 * @param format     its format name
 * @param dataset    its name
 * @param config     the configuration
 * @param space      the feature space (null for SASRec)
 * @param parameters parameter count
 */
public record RunInfo(String modelType, String dataPath, String format, String dataset, RunConfig config,
                      FeatureSpace space, long parameters) {

    public static final String ONEREC = "onerec";
    public static final String SASREC = "sasrec";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public void save(RunDirectory run) {
        ObjectNode root = JSON.createObjectNode();
        root.put("modelType", modelType);
        root.put("dataPath", dataPath);
        root.put("format", format);
        root.put("dataset", dataset);
        root.put("parameters", parameters);
        try {
            root.set("config", JSON.readTree(ConfigLoader.toJson(config)));
            if (space != null) {
                root.set("featureSpace", JSON.valueToTree(space));
            }
            AtomicFiles.writeString(run.runFile(), JSON.writeValueAsString(root));
        } catch (IOException e) {
            throw new UserException("cannot write " + run.runFile() + ": " + e.getMessage());
        }
    }

    public static RunInfo load(RunDirectory run) {
        try {
            JsonNode root = JSON.readTree(run.runFile().toFile());
            RunConfig config = ConfigLoader.parse(JSON.writeValueAsString(root.get("config")), run.runFile().toString());
            FeatureSpace space = null;
            JsonNode fs = root.get("featureSpace");
            if (fs != null && !fs.isNull()) {
                space = new FeatureSpace(fs.get("items").asInt(), fs.get("users").asInt(), ints(fs.get("codebookSizes")),
                        strings(fs.get("userFeatureNames")), ints(fs.get("userFeatureSizes")),
                        strings(fs.get("interactionFeatures")));
            }
            return new RunInfo(root.get("modelType").asText(), root.get("dataPath").asText(),
                    root.get("format").asText(), root.get("dataset").asText(), config, space,
                    root.path("parameters").asLong());
        } catch (IOException | NullPointerException e) {
            throw new UserException(run.runFile() + " is damaged or not a run file: " + e.getMessage());
        }
    }

    private static int[] ints(JsonNode n) {
        int[] out = new int[n.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = n.get(i).asInt();
        }
        return out;
    }

    private static List<String> strings(JsonNode n) {
        java.util.ArrayList<String> out = new java.util.ArrayList<>();
        n.forEach(x -> out.add(x.asText()));
        return out;
    }
}
