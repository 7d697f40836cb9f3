package dev.onerec4j.kernels.cuda;

/**
 * Grid and block dimensions of one kernel launch, checked against the limits every CUDA device since compute
 * capability 3.0 shares (block of at most 1024 threads, grid y and z at most 65535), so a wrong shape fails here
 * with the numbers rather than as {@code CUDA_ERROR_INVALID_VALUE} from the driver.
 */
public record LaunchConfig(int gridX, int gridY, int gridZ, int blockX, int blockY, int sharedBytes) {

    /** Threads per block of the element-wise kernels (8 warps). */
    public static final int ELEMENTWISE_BLOCK = 256;
    /** Upper bound on blocks of a grid-stride loop: enough to fill any current GPU many times over. */
    public static final int MAX_GRID_STRIDE_BLOCKS = 65535;

    public LaunchConfig {
        if (gridX < 1 || gridY < 1 || gridZ < 1 || gridY > 65535 || gridZ > 65535) {
            throw new IllegalArgumentException("grid (" + gridX + ", " + gridY + ", " + gridZ
                    + ") is outside the CUDA limits (x >= 1, 1 <= y, z <= 65535)");
        }
        if (blockX < 1 || blockY < 1 || (long) blockX * blockY > 1024) {
            throw new IllegalArgumentException("block (" + blockX + ", " + blockY + ") has more than 1024 threads");
        }
        if (sharedBytes < 0) {
            throw new IllegalArgumentException("negative shared memory size " + sharedBytes);
        }
    }

    /** A grid-stride launch over {@code n} elements: one thread per element up to the block cap. */
    public static LaunchConfig elementwise(long n) {
        return elementwise(n, ELEMENTWISE_BLOCK);
    }

    public static LaunchConfig elementwise(long n, int block) {
        long blocks = Math.max(1, (n + block - 1) / block);
        return new LaunchConfig((int) Math.min(blocks, MAX_GRID_STRIDE_BLOCKS), 1, 1, block, 1, 0);
    }

    /** One block of {@code block} threads per row, rows spread over x (up to 2^31 - 1 rows). */
    public static LaunchConfig perRow(long rows, int block, int sharedBytes) {
        if (rows > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(rows + " rows exceed the grid's x limit");
        }
        return new LaunchConfig((int) Math.max(1, rows), 1, 1, block, 1, sharedBytes);
    }

    /** A 2-D grid: {@code ceil(x / tileX)} by {@code y} blocks. */
    public static LaunchConfig tiles(long x, int tileX, long y, int blockX, int blockY, int sharedBytes) {
        long gx = Math.max(1, (x + tileX - 1) / tileX);
        if (gx > Integer.MAX_VALUE || y > 65535) {
            throw new IllegalArgumentException("grid of " + gx + " x " + y + " blocks exceeds the CUDA limits");
        }
        return new LaunchConfig((int) gx, (int) Math.max(1, y), 1, blockX, blockY, sharedBytes);
    }

    /** Rounds a thread count for a reduction up to whole warps within [32, 1024], at most {@code max}. */
    public static int reductionBlock(long work, int max) {
        int b = 32;
        while (b < max && b < work) {
            b <<= 1;
        }
        return Math.min(b, max);
    }

    public long threads() {
        return (long) gridX * gridY * gridZ * blockX * blockY;
    }

    @Override
    public String toString() {
        return "grid (" + gridX + ", " + gridY + ", " + gridZ + "), block (" + blockX + ", " + blockY + "), "
                + sharedBytes + " B shared";
    }
}
