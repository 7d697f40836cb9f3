package dev.onerec4j.tensors.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.onerec4j.tensors.DType;
import dev.onerec4j.tensors.Device;
import dev.onerec4j.tensors.MemoryScope;
import dev.onerec4j.tensors.Shapes;
import dev.onerec4j.tensors.Storage;
import dev.onerec4j.tensors.Tensor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads and writes the safetensors format: an 8-byte little-endian header length, a JSON header mapping each
 * tensor name to {dtype, shape, data_offsets}, then the raw little-endian data. Files are written to a
 * temporary name and renamed into place, so a crash never leaves a half-written file under the real name. The
 * writer stores the SHA-256 of the data section in the header metadata ({@code onerec4j.sha256}); the reader
 * validates the header (dtypes, shapes, offsets that tile the data section exactly) and, when present, the
 * checksum, and reports a truncated or corrupt file with a message naming the file and the problem.
 */
public final class Safetensors {

    public static final String CHECKSUM_KEY = "onerec4j.sha256";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_HEADER = 100L << 20;

    private Safetensors() {
    }

    /** The tensors and string metadata of a file. */
    public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {
    }

    /** Writes {@code tensors} (F32, BF16, F64, I32; any layout) and {@code metadata} atomically to {@code path}. */
    public static void write(Path path, Map<String, Tensor> unordered, Map<String, String> metadata) {
        // Widest elements first: with the header padded to 8 bytes every tensor then starts at a multiple of its
        // element size, so a memory-mapped file can be read in place.
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        unordered.entrySet().stream()
                .sorted(java.util.Comparator.comparingInt((Map.Entry<String, Tensor> e) -> -e.getValue().dtype().byteSize()))
                .forEachOrdered(e -> tensors.put(e.getKey(), e.getValue()));
        try {
            MessageDigest sha = sha256();
            long offset = 0;
            Map<String, long[]> offsets = new LinkedHashMap<>();
            for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
                long bytes = e.getValue().numel() * e.getValue().dtype().byteSize();
                offsets.put(e.getKey(), new long[] {offset, offset + bytes});
                offset += bytes;
            }
            // The checksum needs the data first; stream it once into the digest.
            for (Tensor t : tensors.values()) {
                MemorySegment data = contiguousCpuBytes(t);
                sha.update(data.asByteBuffer());
            }
            ObjectNode header = JSON.createObjectNode();
            ObjectNode meta = header.putObject("__metadata__");
            metadata.forEach(meta::put);
            meta.put(CHECKSUM_KEY, HexFormat.of().formatHex(sha.digest()));
            for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
                Tensor t = e.getValue();
                ObjectNode n = header.putObject(e.getKey());
                n.put("dtype", t.dtype().safetensorsName());
                var shape = n.putArray("shape");
                for (int d : t.shape()) {
                    shape.add(d);
                }
                var offs = n.putArray("data_offsets");
                offs.add(offsets.get(e.getKey())[0]);
                offs.add(offsets.get(e.getKey())[1]);
            }
            byte[] json = JSON.writeValueAsBytes(header);
            int padded = (json.length + 7) / 8 * 8;
            byte[] headerBytes = new byte[padded];
            java.util.Arrays.fill(headerBytes, (byte) ' ');
            System.arraycopy(json, 0, headerBytes, 0, json.length);

            Path dir = path.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, path.getFileName().toString(), ".tmp");
            try {
                try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                    ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded).flip();
                    writeFully(ch, len);
                    writeFully(ch, ByteBuffer.wrap(headerBytes));
                    for (Tensor t : tensors.values()) {
                        writeFully(ch, contiguousCpuBytes(t).asByteBuffer());
                    }
                    ch.force(true);
                }
                moveAtomically(tmp, path);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + path + ": " + e.getMessage(), e);
        }
    }

    /** Reads every tensor of {@code path} into memory owned by {@code scope}. */
    public static Contents read(Path path, MemoryScope scope) {
        return load(path, scope, false);
    }

    /**
     * Memory-maps {@code path} read-only: tensors point straight into the mapped file (no copy, pages loaded on
     * demand). The mapping is released when {@code scope} closes.
     */
    public static Contents map(Path path, MemoryScope scope) {
        return load(path, scope, true);
    }

    private static Contents load(Path path, MemoryScope scope, boolean mapped) {
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException(path + ": no such file");
        }
        Arena arena = Arena.ofShared();
        boolean ok = false;
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) {
                throw corrupt(path, "file is " + size + " bytes, shorter than the 8-byte header length");
            }
            MemorySegment file = ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            long headerLen = file.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0);
            if (headerLen <= 0 || headerLen > MAX_HEADER || 8 + headerLen > size) {
                throw corrupt(path, "header length " + headerLen + " does not fit in a file of " + size
                        + " bytes (truncated or not a safetensors file)");
            }
            byte[] headerBytes = file.asSlice(8, headerLen).toArray(ValueLayout.JAVA_BYTE);
            JsonNode header;
            try {
                header = JSON.readTree(new String(headerBytes, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw corrupt(path, "header is not valid JSON (" + e.getMessage().split("\n")[0] + ")");
            }
            if (header == null || !header.isObject()) {
                throw corrupt(path, "header is not a JSON object");
            }
            long dataStart = 8 + headerLen;
            long dataLen = size - dataStart;
            MemorySegment data = file.asSlice(dataStart, dataLen);

            Map<String, String> metadata = new LinkedHashMap<>();
            JsonNode meta = header.get("__metadata__");
            if (meta != null) {
                meta.fields().forEachRemaining(e -> metadata.put(e.getKey(), e.getValue().asText()));
            }
            String expectedSha = metadata.get(CHECKSUM_KEY);
            if (expectedSha != null) {
                MessageDigest sha = sha256();
                sha.update(data.asByteBuffer());
                String actual = HexFormat.of().formatHex(sha.digest());
                if (!actual.equals(expectedSha)) {
                    throw corrupt(path, "data checksum mismatch (expected sha256 " + expectedSha + ", got " + actual
                            + "): the file is corrupt or was modified");
                }
            }

            Map<String, Tensor> tensors = new LinkedHashMap<>();
            MappedFile mappedFile = mapped ? new MappedFile(arena) : null;
            long covered = 0;
            java.util.TreeMap<Long, Long> ranges = new java.util.TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().equals("__metadata__")) {
                    continue;
                }
                String name = e.getKey();
                JsonNode n = e.getValue();
                DType dtype = DType.fromSafetensorsName(n.path("dtype").asText(""));
                if (dtype == null) {
                    throw corrupt(path, "tensor '" + name + "' has unsupported dtype '" + n.path("dtype").asText("")
                            + "' (supported: F32, BF16, F64, I32)");
                }
                JsonNode shapeNode = n.get("shape");
                JsonNode offsNode = n.get("data_offsets");
                if (shapeNode == null || !shapeNode.isArray() || offsNode == null || !offsNode.isArray()
                        || offsNode.size() != 2) {
                    throw corrupt(path, "tensor '" + name + "' lacks a shape array or a [begin, end] data_offsets pair");
                }
                int[] shape = new int[shapeNode.size()];
                for (int i = 0; i < shape.length; i++) {
                    long d = shapeNode.get(i).asLong(-1);
                    if (d < 0 || d > Integer.MAX_VALUE) {
                        throw corrupt(path, "tensor '" + name + "' has an invalid dimension " + shapeNode.get(i));
                    }
                    shape[i] = (int) d;
                }
                long begin = offsNode.get(0).asLong(-1);
                long end = offsNode.get(1).asLong(-1);
                long expectedBytes = Shapes.numel(shape) * dtype.byteSize();
                if (begin < 0 || end < begin || end > dataLen) {
                    throw corrupt(path, "tensor '" + name + "' data_offsets [" + begin + ", " + end
                            + "] fall outside the " + dataLen + "-byte data section (truncated file?)");
                }
                if (end - begin != expectedBytes) {
                    throw corrupt(path, "tensor '" + name + "' has " + (end - begin) + " bytes but shape "
                            + Shapes.str(shape) + " of " + dtype + " needs " + expectedBytes);
                }
                if (ranges.put(begin, end) != null) {
                    throw corrupt(path, "tensors overlap at offset " + begin);
                }
                covered += end - begin;
                boolean aligned = data.asSlice(begin).address() % dtype.byteSize() == 0;
                tensors.put(name, mapped && aligned
                        ? view(data.asSlice(begin, end - begin), dtype, shape, scope, mappedFile)
                        : copy(data.asSlice(begin, end - begin), dtype, shape, scope));
            }
            long prevEnd = 0;
            for (Map.Entry<Long, Long> r : ranges.entrySet()) {
                if (r.getKey() < prevEnd) {
                    throw corrupt(path, "tensors overlap at offset " + r.getKey());
                }
                prevEnd = r.getValue();
            }
            if (covered != dataLen) {
                throw corrupt(path, "the tensors cover " + covered + " of the " + dataLen
                        + " data bytes (trailing garbage or a truncated tensor)");
            }
            ok = mapped && mappedFile.live() > 0;
            return new Contents(tensors, metadata);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + path + ": " + e.getMessage(), e);
        } finally {
            if (!ok) {
                arena.close();
            }
        }
    }

    private static Tensor copy(MemorySegment bytes, DType dtype, int[] shape, MemoryScope scope) {
        Tensor t = Tensor.empty(dtype, Device.CPU, scope, shape);
        MemorySegment.copy(bytes, 0, t.segment(), 0, bytes.byteSize());
        return t;
    }

    private static Tensor view(MemorySegment bytes, DType dtype, int[] shape, MemoryScope scope, MappedFile file) {
        file.retain();
        Storage storage = scope.adopt(bytes, file);
        return new Tensor(storage, dtype, shape, Shapes.contiguousStrides(shape), 0);
    }

    /** Unmaps the file once every tensor that points into it has been released. */
    private static final class MappedFile implements Storage.Allocator {
        private final Arena arena;
        private int live;

        MappedFile(Arena arena) {
            this.arena = arena;
        }

        @Override
        public synchronized Storage allocate(long bytes, MemoryScope owner) {
            throw new UnsupportedOperationException("a mapped file does not allocate");
        }

        synchronized void retain() {
            live++;
        }

        synchronized int live() {
            return live;
        }

        @Override
        public synchronized void free(Storage storage) {
            if (--live == 0) {
                arena.close();
            }
        }
    }

    private static MemorySegment contiguousCpuBytes(Tensor t) {
        Tensor c = t.device() == Device.CPU ? t : t.to(Device.CPU);
        if (!c.isContiguous()) {
            c = c.copy();
        }
        return c.segment().asSlice(c.byteOffset(), c.numel() * c.dtype().byteSize());
    }

    private static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }

    static void moveAtomically(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static IllegalArgumentException corrupt(Path path, String problem) {
        return new IllegalArgumentException(path + ": not a valid safetensors file: " + problem);
    }
}
