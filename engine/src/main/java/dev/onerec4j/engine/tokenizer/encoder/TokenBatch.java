package dev.onerec4j.engine.tokenizer.encoder;

import dev.onerec4j.tensors.Tensor;

/**
 * A batch of items' input tokens, padded to the longest: {@code ids [b, t]} (I32, padding = the encoder's pad
 * id), {@code keyMask [b, t]} (I32, 1 = real token) for attention, {@code weights [b, t, 1]} (F32, 1/count on
 * real tokens, 0 on padding) for the masked mean. An item without tokens gets one padding token of weight 0
 * and attends to it (its encoding is the same learned constant for all such items).
 */
public record TokenBatch(Tensor ids, Tensor keyMask, Tensor weights, int[][] tokens) {

    /** Builds the batch of {@code items} from their token lists in the current memory scope. */
    public static TokenBatch of(int[][] itemTokens, int[] items, int from, int count, int padId) {
        int width = 1;
        int[][] tokens = new int[count][];
        for (int b = 0; b < count; b++) {
            tokens[b] = itemTokens[items[from + b]];
            width = Math.max(width, tokens[b].length);
        }
        return of(tokens, width, padId);
    }

    /** Builds the batch of explicit token lists. */
    public static TokenBatch of(int[][] tokens, int padId) {
        int width = 1;
        for (int[] t : tokens) {
            width = Math.max(width, t.length);
        }
        return of(tokens, width, padId);
    }

    private static TokenBatch of(int[][] tokens, int width, int padId) {
        int count = tokens.length;
        int[] ids = new int[count * width];
        int[] mask = new int[count * width];
        float[] weights = new float[count * width];
        for (int b = 0; b < count; b++) {
            int[] t = tokens[b];
            for (int j = 0; j < width; j++) {
                boolean real = j < t.length;
                ids[b * width + j] = real ? t[j] : padId;
                mask[b * width + j] = real || t.length == 0 ? 1 : 0;
                weights[b * width + j] = real ? 1f / t.length : 0f;
            }
        }
        return new TokenBatch(Tensor.ofInts(ids, count, width), Tensor.ofInts(mask, count, width),
                Tensor.of(weights, count, width, 1), tokens);
    }

    public int size() {
        return tokens.length;
    }
}
