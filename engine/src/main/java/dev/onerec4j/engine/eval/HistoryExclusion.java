package dev.onerec4j.engine.eval;

import dev.onerec4j.engine.data.Histories;

import java.util.Arrays;

/** The items of each request's input history, sorted and distinct: what the S3-Rec/ICLRec convention excludes. */
public final class HistoryExclusion {

    private HistoryExclusion() {
    }

    public static int[][] of(Histories histories, int[] users, int[] positions) {
        int[][] out = new int[users.length][];
        for (int i = 0; i < users.length; i++) {
            int start = histories.start(users[i]);
            int[] items = new int[positions[i]];
            for (int p = 0; p < items.length; p++) {
                items[p] = histories.item(start + p);
            }
            Arrays.sort(items);
            int w = 0;
            for (int j = 0; j < items.length; j++) {
                if (j == 0 || items[j] != items[j - 1]) {
                    items[w++] = items[j];
                }
            }
            out[i] = Arrays.copyOf(items, w);
        }
        return out;
    }
}
