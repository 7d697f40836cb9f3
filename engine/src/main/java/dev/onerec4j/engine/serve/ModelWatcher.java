package dev.onerec4j.engine.serve;

import dev.onerec4j.engine.train.RunDirectory;
import dev.onerec4j.engine.train.TrainedRun;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Reloads a recommender when its run folder gets new weights (a training run writing a better {@code best/} model
 * or a newer checkpoint): polls which weights file the folder designates and that file's identity, size and
 * modification time; a change that stays the same for one more poll (so a file still being written is not
 * loaded) triggers {@link Recommender#reload}. A failed reload is reported and the current model keeps serving.
 */
public final class ModelWatcher implements AutoCloseable {

    private record Stamp(Path file, Object key, long size, long modified) {
    }

    private final Recommender recommender;
    private final Path folder;
    private final long intervalMillis;
    private final Consumer<String> log;
    private final Thread thread;
    private volatile boolean stopped;

    public ModelWatcher(Recommender recommender, Path folder, long intervalMillis, Consumer<String> log) {
        if (intervalMillis < 1) {
            throw new IllegalArgumentException("watch interval must be positive, got " + intervalMillis + " ms");
        }
        this.recommender = recommender;
        this.folder = folder;
        this.intervalMillis = intervalMillis;
        this.log = log;
        this.thread = Thread.ofPlatform().name("onerec4j-model-watcher").daemon(true).unstarted(this::loop);
        thread.start();
    }

    private void loop() {
        Stamp served = stamp();
        Stamp pending = null;
        while (!stopped) {
            try {
                Thread.sleep(intervalMillis);
            } catch (InterruptedException e) {
                return;
            }
            Stamp now = stamp();
            if (now == null || now.equals(served)) {
                pending = null;
                continue;
            }
            if (!now.equals(pending)) {
                pending = now;
                continue;
            }
            try {
                String version = recommender.reload();
                log.accept("model folder changed (" + now.file().getFileName() + "): now serving " + version);
                served = now;
            } catch (RuntimeException e) {
                log.accept("model folder changed but cannot be loaded (still serving the previous model): "
                        + e.getMessage());
                served = now;
            }
            pending = null;
        }
    }

    private Stamp stamp() {
        try {
            Path file = TrainedRun.weightsOf(RunDirectory.open(folder));
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return new Stamp(file, Objects.requireNonNullElse(a.fileKey(), file), a.size(),
                    a.lastModifiedTime().toMillis());
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    @Override
    public void close() {
        stopped = true;
        thread.interrupt();
    }
}
