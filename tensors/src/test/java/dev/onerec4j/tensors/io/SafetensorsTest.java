package dev.onerec4j.tensors.io;

import dev.onerec4j.tensors.DType;
import dev.onerec4j.tensors.MemoryScope;
import dev.onerec4j.tensors.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SafetensorsTest {

    @TempDir
    Path dir;

    private Map<String, Tensor> sample() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("a.weight", Tensor.randn(DType.F32, 1, 1.0, 3, 5));
        m.put("b", Tensor.randn(DType.F32, 2, 1.0, 7).to(DType.BF16));
        m.put("c", Tensor.of(new double[] {1.5, -2.25}, 2));
        m.put("idx", Tensor.ofInts(new int[] {4, 5, 6}, 3));
        m.put("t", Tensor.randn(DType.F32, 3, 1.0, 4, 6).transpose(0, 1));
        return m;
    }

    @Test
    void roundTripsEveryDtypeAndLayout() throws IOException {
        Path f = dir.resolve("model.safetensors");
        Map<String, Tensor> in = sample();
        Safetensors.write(f, in, Map.of("config", "tiny"));
        for (boolean mapped : new boolean[] {false, true}) {
            try (MemoryScope s = MemoryScope.open("load")) {
                Safetensors.Contents c = mapped ? Safetensors.map(f, s) : Safetensors.read(f, s);
                assertEquals("tiny", c.metadata().get("config"));
                assertEquals(in.keySet(), c.tensors().keySet());
                for (var e : in.entrySet()) {
                    Tensor got = c.tensors().get(e.getKey());
                    assertEquals(e.getValue().dtype(), got.dtype());
                    assertArrayEquals(e.getValue().shape(), got.shape());
                    assertArrayEquals(e.getValue().toDoubleArray(), got.toDoubleArray(), 0.0, e.getKey());
                }
            }
        }
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file is left behind");
        }
    }

    @Test
    void truncatedAndCorruptFilesAreRejected() throws IOException {
        Path f = dir.resolve("m.safetensors");
        Safetensors.write(f, sample(), Map.of());
        byte[] bytes = Files.readAllBytes(f);

        Path truncated = dir.resolve("truncated.safetensors");
        Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length - 10));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Safetensors.read(truncated, MemoryScope.global()));
        assertTrue(e.getMessage().contains("truncated.safetensors"), e.getMessage());

        Path flipped = dir.resolve("flipped.safetensors");
        byte[] copy = bytes.clone();
        copy[copy.length - 1] ^= 0x40;
        Files.write(flipped, copy);
        e = assertThrows(IllegalArgumentException.class, () -> Safetensors.read(flipped, MemoryScope.global()));
        assertTrue(e.getMessage().contains("checksum"), e.getMessage());

        Path tiny = dir.resolve("tiny.safetensors");
        Files.write(tiny, new byte[] {1, 2, 3});
        e = assertThrows(IllegalArgumentException.class, () -> Safetensors.read(tiny, MemoryScope.global()));
        assertTrue(e.getMessage().contains("shorter"), e.getMessage());

        Path badJson = dir.resolve("badjson.safetensors");
        byte[] header = "{not json".getBytes(StandardCharsets.US_ASCII);
        ByteBuffer buf = ByteBuffer.allocate(8 + header.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(header.length).put(header);
        Files.write(badJson, buf.array());
        e = assertThrows(IllegalArgumentException.class, () -> Safetensors.read(badJson, MemoryScope.global()));
        assertTrue(e.getMessage().contains("JSON"), e.getMessage());

        Path wrongSize = dir.resolve("wrongsize.safetensors");
        String h = "{\"x\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}";
        byte[] hb = h.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b2 = ByteBuffer.allocate(8 + hb.length + 8).order(ByteOrder.LITTLE_ENDIAN);
        b2.putLong(hb.length).put(hb).putLong(0);
        Files.write(wrongSize, b2.array());
        e = assertThrows(IllegalArgumentException.class, () -> Safetensors.read(wrongSize, MemoryScope.global()));
        assertTrue(e.getMessage().contains("needs 12"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> Safetensors.read(dir.resolve("missing"), MemoryScope.global()));
        assertTrue(e.getMessage().contains("no such file"), e.getMessage());
    }
}
