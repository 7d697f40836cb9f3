package dev.onerec4j.tensors.backend.cuda;

/**
 * The seed expansion of {@code DropoutKernels} (SplitMix64 of the seed; its low and high halves key the hash),
 * computed on the host and handed to the {@code dropout_mask} kernel. Kept in step with the CPU generator by
 * {@code CudaBackendTest}, which compares a device mask with {@code DropoutKernels.keeps}.
 */
final class DropoutKeys {

    private DropoutKeys() {
    }

    static long mix64(long seed) {
        long z = seed + 0x9e3779b97f4a7c15L;
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
