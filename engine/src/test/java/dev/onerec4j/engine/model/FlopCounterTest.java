package dev.onerec4j.engine.model;

import dev.onerec4j.engine.model.config.Architecture;
import dev.onerec4j.engine.model.config.ConfigLoader;
import dev.onerec4j.engine.model.config.ModelConfig;
import dev.onerec4j.engine.sample.FeatureSpace;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The analytic FLOP count against a hand count, and V2's saving over V1 at the report's shapes. */
class FlopCounterTest {

    private static final FeatureSpace SPACE = new FeatureSpace(1000, 10, new int[] {16, 16, 16}, List.of(),
            new int[0], List.of("positive"));

    @Test
    void handCountOfAOneLayerModel() {
        ModelConfig c = new ModelConfig();
        c.architecture = Architecture.V1;
        c.dim = 4;
        c.heads = 1;
        c.kvHeads = 1;
        c.encoderLayers = 1;
        c.decoderLayers = 1;
        c.ffnHidden = 2;
        c.pathways.shortTerm = 5;
        c.pathways.positive = 0;
        c.pathways.lifelong.length = 0;
        int t = 5;
        long selfT = 2L * t * 4 * (4 + 8) + 4L * t * t * 4 + 2L * t * 4 * 4;
        long ffnT = (long) t * 6 * 4 * 2;
        long crossKv = 2L * t * 4 * 8;
        long features = 2L * 5 * 1 * 4;
        long selfL = 2L * 3 * 4 * 12 + 4L * 9 * 4 + 2L * 3 * 16;
        long crossL = 2L * 3 * 16 + 4L * 3 * t * 4 + 2L * 3 * 16;
        long heads = 3 * 2L * 4 * 16;
        FlopCount f = FlopCounter.count(c, SPACE, t, false);
        assertEquals(features + selfT + ffnT + crossKv, f.context());
        assertEquals(selfL + crossL + 3 * 6 * 4 * 2 + heads, f.decoder());
    }

    @Test
    void lazyDecoderCostsAFractionOfTheEncoderDecoder() {
        for (String preset : new String[] {"onerec-0.015b", "onerec-0.121b"}) {
            ModelConfig v1 = ConfigLoader.preset(preset).model;
            ModelConfig v2 = ConfigLoader.preset(preset).model;
            v1.architecture = Architecture.V1;
            v2.architecture = Architecture.V2;
            int t = v1.pathways.maxContextTokens();
            FlopCount a = FlopCounter.count(v1, SPACE, t, true);
            FlopCount b = FlopCounter.count(v2, SPACE, t, true);
            assertTrue(a.contextShare() > 0.9, preset + " V1 spends most compute on the context: " + a);
            assertTrue(b.forward() < 0.25 * a.forward(), preset + ": V2 " + b + " vs V1 " + a);
        }
    }
}
