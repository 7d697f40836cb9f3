package dev.onerec4j.engine.data.synthetic;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import dev.onerec4j.engine.UserException;
import dev.onerec4j.engine.data.Dataset;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * {@code world.json} next to a simulator data set: the {@link SyntheticSettings} the world is rebuilt from. A data
 * folder with this file is simulator data: its users and items are the world's, so true values and simulated
 * feedback can be computed for any list a model recommends.
 */
public final class WorldFile {

    public static final String NAME = "world.json";
    static final String FORMAT = "onerec4j-simulator-1";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private WorldFile() {
    }

    static void write(Path dir, SyntheticSettings settings) {
        Path file = dir.resolve(NAME);
        try {
            String text = JSON.writeValueAsString(JSON.createObjectNode().put("format", FORMAT)
                    .set("settings", JSON.valueToTree(settings)));
            Path tmp = Files.createTempFile(dir, NAME, ".tmp");
            try {
                Files.writeString(tmp, text, StandardCharsets.UTF_8);
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UserException("cannot write " + file + ": " + e.getMessage());
        }
    }

    /** The settings in {@code dir/world.json}, or empty when the folder (or file) is not simulator data. */
    public static Optional<SyntheticSettings> read(Path dir) {
        Path file = Files.isDirectory(dir) ? dir.resolve(NAME) : null;
        if (file == null || !Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            JsonNode root = JSON.readTree(file.toFile());
            if (root == null || !FORMAT.equals(root.path("format").asText())) {
                throw new UserException(file + " is not a simulator world file (expected \"format\": \"" + FORMAT + "\")");
            }
            return Optional.of(JSON.treeToValue(root.get("settings"), SyntheticSettings.class));
        } catch (JsonProcessingException e) {
            throw new UserException(file + " cannot be read: " + e.getOriginalMessage());
        } catch (IllegalArgumentException e) {
            throw new UserException(file + ": " + e.getMessage());
        } catch (IOException e) {
            throw new UserException(file + " cannot be read: " + e.getMessage());
        }
    }

    /**
     * Rebuilds the world of simulator data read from {@code dir} and checks that it generated exactly
     * {@code dataset} (same users, items and interactions), so its ground truth applies; empty when {@code dir}
     * holds no world file.
     */
    public static Optional<SyntheticWorld> open(Path dir, Dataset dataset) {
        Optional<SyntheticSettings> settings = read(dir);
        if (settings.isEmpty()) {
            return Optional.empty();
        }
        SyntheticWorld world = SyntheticWorld.create(settings.get());
        Dataset generated = world.dataset();
        if (!sameInteractions(generated, dataset)) {
            throw new UserException(dir.resolve(NAME) + " does not describe the data set in " + dir + " ("
                    + generated + " generated, " + dataset + " read): regenerate the folder with the simulate command");
        }
        return Optional.of(world);
    }

    private static boolean sameInteractions(Dataset a, Dataset b) {
        if (a.numUsers() != b.numUsers() || a.numItems() != b.numItems() || a.numInteractions() != b.numInteractions()) {
            return false;
        }
        for (int i = 0; i < a.numItems(); i++) {
            if (!a.items().externalId(i).equals(b.items().externalId(i))) {
                return false;
            }
        }
        for (int r = 0; r < a.numInteractions(); r++) {
            if (a.histories().item(r) != b.histories().item(r)) {
                return false;
            }
        }
        for (int u = 0; u < a.numUsers(); u++) {
            if (a.histories().start(u) != b.histories().start(u)
                    || !a.users().externalId(u).equals(b.users().externalId(u))) {
                return false;
            }
        }
        return true;
    }
}
