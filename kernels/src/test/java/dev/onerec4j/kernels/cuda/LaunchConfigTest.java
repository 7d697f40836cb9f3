package dev.onerec4j.kernels.cuda;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Launch shapes: grid-stride caps, per-row grids, tiles, and the CUDA limits. */
class LaunchConfigTest {

    @Test
    void elementwiseCoversEveryElementOrCaps() {
        LaunchConfig small = LaunchConfig.elementwise(1000);
        assertEquals(4, small.gridX());
        assertEquals(256, small.blockX());
        assertTrue(small.threads() >= 1000);
        assertEquals(1, LaunchConfig.elementwise(0).gridX());
        LaunchConfig huge = LaunchConfig.elementwise(1L << 40);
        assertEquals(LaunchConfig.MAX_GRID_STRIDE_BLOCKS, huge.gridX());
    }

    @Test
    void tilesRoundUp() {
        LaunchConfig c = LaunchConfig.tiles(65, 32, 7, 32, 8, 0);
        assertEquals(3, c.gridX());
        assertEquals(7, c.gridY());
        assertEquals(256, c.blockX() * c.blockY());
    }

    @Test
    void reductionBlocksAreWholeWarps() {
        assertEquals(32, LaunchConfig.reductionBlock(1, 512));
        assertEquals(64, LaunchConfig.reductionBlock(33, 512));
        assertEquals(512, LaunchConfig.reductionBlock(100_000, 512));
        assertEquals(256, LaunchConfig.reductionBlock(200, 256));
    }

    @Test
    void limitsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> new LaunchConfig(1, 70_000, 1, 32, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new LaunchConfig(1, 1, 1, 64, 32, 0));
        assertThrows(IllegalArgumentException.class, () -> new LaunchConfig(0, 1, 1, 32, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> LaunchConfig.tiles(10, 1, 100_000, 32, 1, 0));
    }
}
