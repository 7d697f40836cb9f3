package dev.onerec4j.engine.model;

import dev.onerec4j.engine.model.config.Architecture;
import dev.onerec4j.engine.model.config.ModelConfig;
import dev.onerec4j.engine.sample.ContextBatch;
import dev.onerec4j.tensors.DType;
import dev.onerec4j.tensors.Tensor;
import dev.onerec4j.tensors.testing.GradCheck;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Map;

/**
 * Finite-difference gradient checks (F64) of the whole OneRec loss with respect to parameters of every part the
 * engine adds on top of the tested layers: pathway embeddings, the QFormer queries, the V1 encoder, the V2
 * context processor (its per-token network, projection and key/value norms), the decoder's begin token and
 * level embeddings, and tied and untied output heads.
 */
class ModelGradientTest {

    private static final SyntheticFixture FX = SyntheticFixture.small(9);

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void lossGradientsMatchFiniteDifferences(Architecture arch) {
        for (boolean tied : new boolean[] {false, true}) {
            ModelConfig c = ModelFixtures.config(arch, 0);
            c.dim = 8;
            c.heads = 2;
            c.kvHeads = 1;
            c.ffnHidden = 6;
            c.encoderLayers = 1;
            c.decoderLayers = 2;
            c.kvLayers = 2;
            c.tiedHeads = tied;
            c.dropout = 0;
            ModelFixtures.Built b = ModelFixtures.build(FX, c, DType.F64, 5);
            int n = 3;
            int[] positions = new int[n];
            ContextBatch batch = ModelFixtures.batch(FX, b.builder(), n, positions);
            int[] sids = new int[n * 3];
            for (int i = 0; i < n; i++) {
                int item = FX.dataset.histories().item(FX.dataset.histories().row(i, positions[i]));
                for (int l = 0; l < 3; l++) {
                    sids[i * 3 + l] = FX.sids.token(item, l);
                }
            }
            Map<String, Tensor> p = b.model().namedParameters();
            String[] names = arch == Architecture.V1
                    ? new String[] {"context.qformer.queries", "context.features.bias", "encoder.norm.weight",
                        "decoder.bos", "decoder.layers.1.cross_norm.weight", tied ? "context.pathway_types.weight"
                            : "heads.levels.2.weight"}
                    : new String[] {"context.qformer.queries", "context.time_gaps.weight", "processor.mlp_norm.weight",
                        "processor.key_norms.1.weight", "processor.value_norms.0.weight", "decoder.bos",
                        tied ? "decoder.level_embeddings.weight" : "heads.levels.0.weight"};
            Tensor[] inputs = new Tensor[names.length];
            for (int i = 0; i < names.length; i++) {
                inputs[i] = p.get(names[i]);
                if (inputs[i] == null) {
                    throw new AssertionError("no parameter " + names[i] + " in " + p.keySet());
                }
            }
            GradCheck.check(arch + (tied ? " tied" : " untied") + " loss",
                    x -> b.model().loss(batch, sids, 0.1, DropoutStream.off()), inputs);
        }
    }
}
