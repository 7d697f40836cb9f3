package dev.onerec4j.engine.serve.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Items added to a served run after training (cold start), one JSON object per line in {@code added-items.jsonl}
 * of the run folder, so they survive a restart or reload. Each line is written in one append and forced to disk
 * before the item is published; a line cut short by a crash is skipped when the log is read.
 */
public final class AddedItemsLog {

    public static final String FILE = "added-items.jsonl";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One added item. */
    public record Entry(String id, int[] sid, String title, float duration) {
    }

    private final Path file;

    public AddedItemsLog(Path runFolder) {
        this.file = runFolder.resolve(FILE);
    }

    public Path file() {
        return file;
    }

    /** The entries written so far, in order; a damaged line (an interrupted write) is skipped. */
    public List<Entry> read() {
        List<Entry> out = new ArrayList<>();
        if (!Files.isRegularFile(file)) {
            return out;
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            try {
                JsonNode n = JSON.readTree(line);
                JsonNode sid = n.get("sid");
                int[] tokens = new int[sid.size()];
                for (int i = 0; i < tokens.length; i++) {
                    tokens[i] = sid.get(i).asInt();
                }
                float duration = n.has("duration") && !n.get("duration").isNull()
                        ? (float) n.get("duration").asDouble() : Float.NaN;
                out.add(new Entry(n.get("id").asText(), tokens, n.path("title").asText(""), duration));
            } catch (IOException | RuntimeException e) {
                // An interrupted append leaves a partial last line: it was never published, so it is dropped.
            }
        }
        return out;
    }

    /** Appends {@code e} and forces it to disk. */
    public synchronized void append(Entry e) {
        ObjectNode n = JSON.createObjectNode();
        n.put("id", e.id());
        var sid = n.putArray("sid");
        for (int t : e.sid()) {
            sid.add(t);
        }
        if (e.title() != null && !e.title().isEmpty()) {
            n.put("title", e.title());
        }
        if (!Float.isNaN(e.duration())) {
            n.put("duration", e.duration());
        }
        byte[] line = (n + "\n").getBytes(StandardCharsets.UTF_8);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            ByteBuffer buf = ByteBuffer.wrap(line);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot append to " + file + ": " + ex.getMessage(), ex);
        }
    }
}
