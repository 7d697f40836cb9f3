package dev.onerec4j.engine.align;

/**
 * The items a policy generated for a batch of requests: per request a group of samples, each an item index
 * ({@code -1} when the generated ID names no item) with its log-probability under the generating policy (the sum
 * of its tokens' log-probabilities).
 */
public record Generation(int[][] items, double[][] logProbs) {

    public int requests() {
        return items.length;
    }

    /** Samples over all requests. */
    public int samples() {
        int n = 0;
        for (int[] g : items) {
            n += g.length;
        }
        return n;
    }

    /** Share of samples that name a real item. */
    public double legality() {
        int legal = 0;
        int all = 0;
        for (int[] g : items) {
            for (int item : g) {
                all++;
                legal += item >= 0 ? 1 : 0;
            }
        }
        return all == 0 ? Double.NaN : (double) legal / all;
    }
}
