package dev.onerec4j.engine.train;

import dev.onerec4j.engine.UserException;
import dev.onerec4j.tensors.MemoryScope;
import dev.onerec4j.tensors.Shapes;
import dev.onerec4j.tensors.Tensor;
import dev.onerec4j.tensors.io.Safetensors;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Saves and restores named tensors (a model's parameters and buffers, or an optimizer's state) as safetensors,
 * refusing a file written for another model: every expected tensor must be present with the same shape, and
 * nothing else may be there.
 */
public final class ModelFiles {

    public static final String SIGNATURE_KEY = "onerec4j.model_signature";

    private ModelFiles() {
    }

    /** A fingerprint of the tensor names and shapes: equal for models of the same configuration. */
    public static String signature(Map<String, Tensor> tensors) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
                sha.update((e.getKey() + Arrays.toString(e.getValue().shape()) + ";").getBytes());
            }
            return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) {
        Map<String, String> meta = new LinkedHashMap<>(metadata);
        meta.put(SIGNATURE_KEY, signature(tensors));
        Safetensors.write(file, tensors, meta);
    }

    /** Copies the tensors stored in {@code file} into {@code target} (same names and shapes). */
    public static void read(Path file, Map<String, Tensor> target, String what) {
        if (!Files.isRegularFile(file)) {
            throw new UserException(what + " " + file + " does not exist");
        }
        try (MemoryScope scope = MemoryScope.owned("load " + file.getFileName())) {
            Safetensors.Contents contents;
            try {
                contents = Safetensors.read(file, scope);
            } catch (RuntimeException e) {
                throw new UserException(what + " " + file + " cannot be read: " + oneLine(e.getMessage()));
            }
            Map<String, Tensor> stored = contents.tensors();
            for (Map.Entry<String, Tensor> e : target.entrySet()) {
                Tensor src = stored.get(e.getKey());
                if (src == null) {
                    throw new UserException(what + " " + file + " was written for a different model: it has no tensor '"
                            + e.getKey() + "' (check the --config matches the one the run was trained with)");
                }
                if (!Arrays.equals(src.shape(), e.getValue().shape())) {
                    throw new UserException(what + " " + file + " was written for a different model: '" + e.getKey()
                            + "' has shape " + Shapes.str(src.shape()) + " there but " + Shapes.str(e.getValue().shape())
                            + " in this model");
                }
            }
            for (String name : stored.keySet()) {
                if (!target.containsKey(name)) {
                    throw new UserException(what + " " + file + " was written for a different model: it has an extra "
                            + "tensor '" + name + "'");
                }
            }
            for (Map.Entry<String, Tensor> e : target.entrySet()) {
                e.getValue().copyFrom(stored.get(e.getKey()));
            }
        }
    }

    private static String oneLine(String s) {
        return s == null ? "unknown error" : s.replace('\n', ' ');
    }
}
