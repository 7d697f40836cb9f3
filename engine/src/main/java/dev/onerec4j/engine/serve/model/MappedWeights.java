package dev.onerec4j.engine.serve.model;

import dev.onerec4j.engine.UserException;
import dev.onerec4j.tensors.DType;
import dev.onerec4j.tensors.MemoryScope;
import dev.onerec4j.tensors.Tensor;
import dev.onerec4j.tensors.io.Safetensors;
import dev.onerec4j.tensors.nn.Init;
import dev.onerec4j.tensors.nn.Module;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Builds a model whose parameters point straight into a memory-mapped weights file (read-only, pages loaded on
 * demand, shared with every other process that maps the file): nothing is initialised or copied.
 *
 * <p>A model names its tensors only after creating them, so the model is built twice: first over one-element
 * placeholders, which tells which creation becomes which named tensor; then with each creation answered by the
 * mapped tensor of that name. The second model must hold exactly the mapped tensors, and the file exactly the
 * model's tensors, or loading fails with a message naming the tensor.
 */
public final class MappedWeights {

    private MappedWeights() {
    }

    /**
     * @param file  a safetensors file written for the model {@code build} makes (same names and shapes)
     * @param scope owns the mapping; it is released when the scope closes
     * @param build builds the model from an initialiser (called twice)
     */
    public static <M extends Module> M load(Path file, MemoryScope scope, Function<Init, M> build) {
        List<Tensor> created = new ArrayList<>();
        try (MemoryScope placeholders = MemoryScope.owned("placeholders")) {
            M probe = build.apply(Init.from(placeholders, DType.F32, (dtype, shape) -> {
                Tensor one = MemoryScope.within(placeholders, () -> Tensor.zeros(dtype, 1));
                int[] ones = new int[shape.length];
                Arrays.fill(ones, 1);
                Tensor t = one.reshape(ones).expand(shape);
                created.add(t);
                return t;
            }));
            Map<Tensor, String> names = new IdentityHashMap<>();
            probe.stateTensors().forEach((name, t) -> names.put(t, name));
            List<String> order = new ArrayList<>(created.size());
            for (Tensor t : created) {
                String name = names.get(t);
                if (name == null) {
                    throw new IllegalStateException("model creates a tensor it does not register: cannot map " + file);
                }
                order.add(name);
            }
            Map<String, Tensor> mapped = map(file, scope);
            java.util.Set<String> known = new java.util.HashSet<>(names.values());
            for (String name : mapped.keySet()) {
                if (!known.contains(name)) {
                    throw new UserException("weights " + file + " were written for a different model: it has an extra "
                            + "tensor '" + name + "'");
                }
            }
            int[] next = {0};
            M model = build.apply(Init.from(scope, DType.F32, (dtype, shape) -> {
                String name = order.get(next[0]++);
                Tensor t = mapped.get(name);
                if (t == null) {
                    throw new UserException("weights " + file + " were written for a different model: it has no tensor '"
                            + name + "'");
                }
                if (!Arrays.equals(t.shape(), shape) || t.dtype() != dtype) {
                    throw new UserException("weights " + file + " were written for a different model: '" + name
                            + "' is " + t.dtype() + " " + Arrays.toString(t.shape()) + " there but " + dtype + " "
                            + Arrays.toString(shape) + " in this model");
                }
                return t;
            }));
            for (Map.Entry<String, Tensor> e : model.stateTensors().entrySet()) {
                if (e.getValue() != mapped.get(e.getKey())) {
                    throw new IllegalStateException("model tensor '" + e.getKey() + "' is not the mapped one");
                }
            }
            return model;
        }
    }

    private static Map<String, Tensor> map(Path file, MemoryScope scope) {
        try {
            return Safetensors.map(file, scope).tensors();
        } catch (RuntimeException e) {
            throw new UserException("model weights " + file + " cannot be read: " + String.valueOf(e.getMessage())
                    .replace('\n', ' '));
        }
    }
}
