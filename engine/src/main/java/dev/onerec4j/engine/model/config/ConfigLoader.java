package dev.onerec4j.engine.model.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import dev.onerec4j.engine.UserException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Loads run configurations: a preset by name ({@link #PRESETS}, JSON resources of the engine), or a JSON file
 * that may name a {@code preset} to start from and override any of its fields. Unknown fields, wrong types and
 * impossible shapes are one-line {@link UserException}s naming the file and the field.
 */
public final class ConfigLoader {

    /** The named presets: {@code tiny} (tests), {@code small}, and the report's two dense shapes. */
    public static final List<String> PRESETS = List.of("tiny", "small", "onerec-0.015b", "onerec-0.121b");

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private ConfigLoader() {
    }

    /** A preset name, or a path to a JSON config file. */
    public static RunConfig load(String nameOrFile) {
        if (PRESETS.contains(nameOrFile)) {
            return preset(nameOrFile);
        }
        Path path = Path.of(nameOrFile);
        if (!Files.exists(path)) {
            throw new UserException("config '" + nameOrFile + "' is neither a preset (" + String.join(", ", PRESETS)
                    + ") nor an existing file");
        }
        return file(path);
    }

    /** The preset called {@code name}. */
    public static RunConfig preset(String name) {
        if (!PRESETS.contains(name)) {
            throw new UserException("unknown preset '" + name + "'; expected one of: " + String.join(", ", PRESETS));
        }
        try (InputStream in = ConfigLoader.class.getResourceAsStream("/dev/onerec4j/engine/configs/" + name + ".json")) {
            if (in == null) {
                throw new IllegalStateException("preset resource " + name + ".json is missing from the engine jar");
            }
            RunConfig c = JSON.readValue(in, RunConfig.class);
            c.name = name;
            return c.validate("preset " + name);
        } catch (IOException e) {
            throw new IllegalStateException("preset " + name + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** A config file; its {@code preset} field (if any) supplies the defaults it overrides. */
    public static RunConfig file(Path path) {
        String source = path.toString();
        try {
            JsonNode tree = JSON.readTree(path.toFile());
            if (tree == null || !tree.isObject()) {
                throw new UserException("config " + source + ": expected a JSON object");
            }
            JsonNode presetNode = tree.get("preset");
            RunConfig base = presetNode != null && presetNode.isTextual() ? preset(presetNode.asText()) : new RunConfig();
            RunConfig c = JSON.readerForUpdating(base).readValue(tree);
            if (tree.get("name") == null) {
                c.name = path.getFileName().toString().replaceFirst("\\.json$", "");
            }
            return c.validate(source);
        } catch (UnrecognizedPropertyException e) {
            throw new UserException("config " + source + ": unknown field '" + fieldPath(e) + "'");
        } catch (InvalidFormatException e) {
            throw new UserException("config " + source + ": field '" + fieldPath(e) + "' has the wrong type (value "
                    + e.getValue() + ")");
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr();
            throw new UserException("config " + source + ": invalid JSON" + where + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UserException("config " + source + " cannot be read: " + e.getMessage());
        }
    }

    /** Parses a config from JSON text (used for the copy kept in a run folder). */
    public static RunConfig parse(String json, String source) {
        try {
            return JSON.readValue(json, RunConfig.class).validate(source);
        } catch (JsonProcessingException e) {
            throw new UserException("config " + source + " is not valid: " + e.getOriginalMessage());
        }
    }

    public static String toJson(RunConfig config) {
        try {
            return JSON.writeValueAsString(config);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A deep copy. */
    public static RunConfig copy(RunConfig config) {
        return parse(toJson(config), config.name);
    }

    private static String fieldPath(com.fasterxml.jackson.databind.JsonMappingException e) {
        return e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."));
    }
}
