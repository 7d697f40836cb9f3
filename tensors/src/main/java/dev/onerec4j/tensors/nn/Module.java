package dev.onerec4j.tensors.nn;

import dev.onerec4j.tensors.Tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A layer or model: named parameters and named child modules, visited in registration order. Parameter names
 * are dotted paths ({@code decoder.layers.0.attn.wq}); they are the keys of checkpoints.
 */
public abstract class Module {

    private final Map<String, Tensor> parameters = new LinkedHashMap<>();
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private boolean training = true;

    /** Registers a trainable parameter (it will require grad). */
    protected final Tensor parameter(String name, Tensor value) {
        checkName(name);
        value.requiresGrad(true).name(name);
        parameters.put(name, value);
        return value;
    }

    /** Registers a non-trainable state tensor that is saved with the model (e.g. MoE routing bias). */
    protected final Tensor buffer(String name, Tensor value) {
        checkName(name);
        value.name(name);
        buffers.put(name, value);
        return value;
    }

    /** Registers a child module. */
    protected final <M extends Module> M child(String name, M module) {
        checkName(name);
        children.put(name, module);
        return module;
    }

    private void checkName(String name) {
        if (name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException("module entry names are non-empty and without dots: '" + name + "'");
        }
        if (parameters.containsKey(name) || buffers.containsKey(name) || children.containsKey(name)) {
            throw new IllegalArgumentException("'" + name + "' is already registered in " + getClass().getSimpleName());
        }
    }

    /** All trainable parameters by dotted name, in registration order. */
    public final Map<String, Tensor> namedParameters() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collect("", out, false);
        return Collections.unmodifiableMap(out);
    }

    /** Parameters and buffers by dotted name: everything a checkpoint holds. */
    public final Map<String, Tensor> stateTensors() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collect("", out, true);
        return Collections.unmodifiableMap(out);
    }

    private void collect(String prefix, Map<String, Tensor> out, boolean withBuffers) {
        for (Map.Entry<String, Tensor> e : parameters.entrySet()) {
            out.put(prefix + e.getKey(), e.getValue());
        }
        if (withBuffers) {
            for (Map.Entry<String, Tensor> e : buffers.entrySet()) {
                out.put(prefix + e.getKey(), e.getValue());
            }
        }
        for (Map.Entry<String, Module> e : children.entrySet()) {
            e.getValue().collect(prefix + e.getKey() + ".", out, withBuffers);
        }
    }

    public final List<Tensor> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    public final long parameterCount() {
        long n = 0;
        for (Tensor t : namedParameters().values()) {
            n += t.numel();
        }
        return n;
    }

    /** The direct children, by name. */
    public final Map<String, Module> children() {
        return Collections.unmodifiableMap(children);
    }

    /** Switches training behaviour (dropout, load-balancing updates) on or off for this module and its children. */
    public final void train(boolean on) {
        training = on;
        for (Module m : children.values()) {
            m.train(on);
        }
    }

    public final boolean isTraining() {
        return training;
    }

    /** Zeroes the gradients of all parameters (keeping their buffers). */
    public final void zeroGrad() {
        for (Tensor t : namedParameters().values()) {
            t.zeroGrad();
        }
    }
}
