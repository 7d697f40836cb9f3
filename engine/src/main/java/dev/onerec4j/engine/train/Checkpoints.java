package dev.onerec4j.engine.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import dev.onerec4j.engine.UserException;
import dev.onerec4j.tensors.nn.Module;
import dev.onerec4j.tensors.optim.Optimizer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Periodic training checkpoints: model tensors, optimizer state and {@link TrainState} in
 * {@code checkpoints/step-NNNNNNNN/}. A checkpoint is written completely into a temporary folder and then renamed
 * into place, after which the {@code latest} pointer file is replaced atomically; a crash at any moment leaves the
 * previous checkpoint as the latest complete one, and leftover temporary folders are ignored and removed. The
 * {@code keep} most recent checkpoints are kept.
 */
public final class Checkpoints {

    /** Called with the finished temporary folder just before it is committed (tests inject failures here). */
    @FunctionalInterface
    public interface CommitHook {
        void beforeCommit(Path temporary) throws IOException;
    }

    static final String LATEST = "latest";
    private static final String TEMP_PREFIX = ".tmp-";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path dir;
    private final int keep;
    private final CommitHook hook;

    public Checkpoints(Path dir, int keep) {
        this(dir, keep, t -> { });
    }

    public Checkpoints(Path dir, int keep, CommitHook hook) {
        this.dir = dir;
        this.keep = keep;
        this.hook = hook;
    }

    /** Writes the checkpoint of {@code state.step} and makes it the latest. */
    public Path save(Module model, Optimizer optimizer, TrainState state) {
        String name = String.format("step-%08d", state.step);
        Path target = dir.resolve(name);
        Path tmp = dir.resolve(TEMP_PREFIX + name + "-" + System.nanoTime());
        try {
            Files.createDirectories(tmp);
            Map<String, String> meta = Map.of("step", Long.toString(state.step));
            ModelFiles.write(tmp.resolve("model.safetensors"), model.stateTensors(), meta);
            ModelFiles.write(tmp.resolve("optimizer.safetensors"), optimizer.stateTensors(), meta);
            Files.writeString(tmp.resolve("state.json"), JSON.writeValueAsString(state));
            hook.beforeCommit(tmp);
            if (Files.exists(target)) {
                AtomicFiles.deleteTree(target);
            }
            AtomicFiles.move(tmp, target);
            AtomicFiles.writeString(dir.resolve(LATEST), name + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("checkpoint " + target + " could not be written (the previous checkpoint is "
                    + "intact): " + e.getMessage(), e);
        } finally {
            AtomicFiles.deleteTree(tmp);
        }
        prune(name);
        return target;
    }

    /** The latest complete checkpoint, if any. */
    public Optional<Path> latest() {
        Path pointer = dir.resolve(LATEST);
        if (!Files.isRegularFile(pointer)) {
            return Optional.empty();
        }
        try {
            Path p = dir.resolve(Files.readString(pointer).strip());
            if (!Files.isRegularFile(p.resolve("state.json"))) {
                throw new UserException("checkpoint pointer " + pointer + " names " + p + ", which is not a complete "
                        + "checkpoint");
            }
            return Optional.of(p);
        } catch (IOException e) {
            throw new UserException("cannot read " + pointer + ": " + e.getMessage());
        }
    }

    /** Restores model and optimizer tensors from {@code checkpoint} and returns its trainer state. */
    public static TrainState load(Path checkpoint, Module model, Optimizer optimizer) {
        TrainState state = readState(checkpoint);
        ModelFiles.read(checkpoint.resolve("model.safetensors"), model.stateTensors(), "checkpoint");
        ModelFiles.read(checkpoint.resolve("optimizer.safetensors"), optimizer.stateTensors(), "checkpoint");
        optimizer.loadState(optimizer.stateTensors(), state.step);
        return state;
    }

    public static TrainState readState(Path checkpoint) {
        try {
            return JSON.readValue(checkpoint.resolve("state.json").toFile(), TrainState.class);
        } catch (IOException e) {
            throw new UserException("checkpoint " + checkpoint + " has no readable state.json: " + e.getMessage());
        }
    }

    /** Removes leftover temporary folders and all but the {@code keep} newest checkpoints (never {@code current}). */
    private void prune(String current) {
        List<Path> steps = new ArrayList<>();
        try (Stream<Path> list = Files.list(dir)) {
            for (Path p : list.toList()) {
                String n = p.getFileName().toString();
                if (n.startsWith(TEMP_PREFIX)) {
                    AtomicFiles.deleteTree(p);
                } else if (n.startsWith("step-") && Files.isDirectory(p)) {
                    steps.add(p);
                }
            }
        } catch (IOException e) {
            return;
        }
        steps.sort(null);
        for (int i = 0; i < steps.size() - keep; i++) {
            if (!steps.get(i).getFileName().toString().equals(current)) {
                AtomicFiles.deleteTree(steps.get(i));
            }
        }
    }
}
