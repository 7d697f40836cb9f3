package dev.onerec4j.engine.model.config;

import dev.onerec4j.engine.UserException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Presets, config files that override a preset, and one-line errors naming the offending field. */
class ConfigLoaderTest {

    @Test
    void presetsLoadWithTheReportShapes() {
        for (String name : ConfigLoader.PRESETS) {
            RunConfig c = ConfigLoader.preset(name);
            assertEquals(name, c.name);
        }
        ModelConfig small = ConfigLoader.preset("onerec-0.015b").model;
        assertEquals(4, small.encoderLayers);
        assertEquals(4, small.decoderLayers);
        assertEquals(128, small.dim);
        assertEquals(256, small.ffnHidden);
        assertEquals(4, small.heads);
        ModelConfig big = ConfigLoader.preset("onerec-0.121b").model;
        assertEquals(8, big.encoderLayers);
        assertEquals(1024, big.dim);
        assertEquals(2048, big.ffnHidden);
        assertEquals(8, big.heads);
    }

    @Test
    void fileOverridesItsPreset(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("mine.json");
        Files.writeString(f, "{\"preset\": \"small\", \"model\": {\"architecture\": \"v1\", \"dim\": 96},"
                + " \"train\": {\"lr\": 0.004}}");
        RunConfig c = ConfigLoader.load(f.toString());
        assertEquals("mine", c.name);
        assertEquals(Architecture.V1, c.model.architecture);
        assertEquals(96, c.model.dim);
        assertEquals(0.004, c.train.lr);
        assertEquals(ConfigLoader.preset("small").model.ffnHidden, c.model.ffnHidden, "untouched fields keep the preset's");
        RunConfig copy = ConfigLoader.copy(c);
        assertEquals(ConfigLoader.toJson(c), ConfigLoader.toJson(copy));
    }

    @Test
    void impossibleShapesNameTheField(@TempDir Path dir) throws Exception {
        assertRejected(dir, "{\"model\": {\"dim\": 30, \"heads\": 4}}", "'model.heads'", "must divide model.dim");
        assertRejected(dir, "{\"model\": {\"heads\": 4, \"kvHeads\": 3}}", "'model.kvHeads'", "must divide");
        assertRejected(dir, "{\"model\": {\"moe\": {\"experts\": 4, \"topK\": 5}}}", "'model.moe.topK'", "between 1");
        assertRejected(dir, "{\"model\": {\"architecture\": \"v2\", \"decoderLayers\": 2, \"kvLayers\": 3}}",
                "'model.kvLayers'", "between 1");
        assertRejected(dir, "{\"model\": {\"dropout\": 1.5}}", "'model.dropout'", "[0, 1)");
        assertRejected(dir, "{\"eval\": {\"k\": 10, \"beamWidth\": 5}}", "'eval.beamWidth'", ">= eval.k");
        assertRejected(dir, "{\"model\": {\"pathways\": {\"userStatic\": false, \"shortTerm\": 0, \"positive\": 0}}}",
                "'model.pathways'", "no input");
        assertRejected(dir, "{\"model\": {\"layers\": 3}}", "unknown field 'model.layers'", "");
        assertRejected(dir, "{\"train\": {\"lr\": \"fast\"}}", "'train.lr'", "");
        assertRejected(dir, "{\"model\": {", "invalid JSON", "");
        UserException e = assertThrows(UserException.class, () -> ConfigLoader.load("no-such-preset"));
        assertTrue(e.getMessage().contains("neither a preset"), e.getMessage());
    }

    private static void assertRejected(Path dir, String json, String field, String problem) throws Exception {
        Path f = Files.createTempFile(dir, "cfg", ".json");
        Files.writeString(f, json);
        UserException e = assertThrows(UserException.class, () -> ConfigLoader.load(f.toString()), json);
        assertTrue(e.getMessage().contains(field), e.getMessage());
        assertTrue(e.getMessage().contains(problem), e.getMessage());
        assertTrue(e.getMessage().contains(f.toString()), "names the file: " + e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }
}
