package dev.onerec4j.engine.model.context;

import dev.onerec4j.engine.model.DropoutStream;
import dev.onerec4j.engine.model.config.ModelConfig;
import dev.onerec4j.tensors.Tensor;
import dev.onerec4j.tensors.nn.Init;
import dev.onerec4j.tensors.nn.Module;
import dev.onerec4j.tensors.nn.ModuleList;
import dev.onerec4j.tensors.nn.RmsNorm;

/** The V1 encoder: {@code encoderLayers} RMSNorm pre-norm bidirectional transformer layers and a final norm. */
public final class ContextEncoder extends Module {

    private final ModuleList<EncoderLayer> layers = child("layers", new ModuleList<>());
    private final RmsNorm norm;

    public ContextEncoder(Init init, ModelConfig config) {
        for (int i = 0; i < config.encoderLayers; i++) {
            layers.add(new EncoderLayer(init, config));
        }
        norm = child("norm", new RmsNorm(init, config.dim, config.normEps));
    }

    public Tensor forward(EmbeddedContext context, DropoutStream drop) {
        Tensor x = context.tokens();
        for (EncoderLayer layer : layers.items()) {
            x = layer.forward(x, context.mask(), drop);
        }
        return norm.forward(x);
    }

    public java.util.List<EncoderLayer> layers() {
        return layers.items();
    }
}
