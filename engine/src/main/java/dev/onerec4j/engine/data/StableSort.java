package dev.onerec4j.engine.data;

/** A stable merge sort of an index array by a {@code long} key, without boxing. */
final class StableSort {

    private StableSort() {
    }

    /** Sorts {@code idx[from..to)} by {@code keys[idx[i]]}, keeping the given order among equal keys. */
    static void byKey(int[] idx, int from, int to, long[] keys, int[] tmp) {
        if (to - from < 2 || isSorted(idx, from, to, keys)) {
            return;
        }
        mergeSort(idx, from, to, keys, tmp);
    }

    private static boolean isSorted(int[] idx, int from, int to, long[] keys) {
        for (int i = from + 1; i < to; i++) {
            if (keys[idx[i]] < keys[idx[i - 1]]) {
                return false;
            }
        }
        return true;
    }

    private static void mergeSort(int[] idx, int from, int to, long[] keys, int[] tmp) {
        if (to - from <= 16) {
            for (int i = from + 1; i < to; i++) {
                int v = idx[i];
                long k = keys[v];
                int j = i - 1;
                while (j >= from && keys[idx[j]] > k) {
                    idx[j + 1] = idx[j];
                    j--;
                }
                idx[j + 1] = v;
            }
            return;
        }
        int mid = (from + to) >>> 1;
        mergeSort(idx, from, mid, keys, tmp);
        mergeSort(idx, mid, to, keys, tmp);
        if (keys[idx[mid - 1]] <= keys[idx[mid]]) {
            return;
        }
        System.arraycopy(idx, from, tmp, from, to - from);
        int a = from;
        int b = mid;
        for (int w = from; w < to; w++) {
            if (b >= to || (a < mid && keys[tmp[a]] <= keys[tmp[b]])) {
                idx[w] = tmp[a++];
            } else {
                idx[w] = tmp[b++];
            }
        }
    }
}
