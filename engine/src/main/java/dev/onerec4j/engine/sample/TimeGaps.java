package dev.onerec4j.engine.sample;

/**
 * Buckets the time between an input interaction and the user's most recent one (the moment of the request):
 * bucket 0 is "the most recent moment", then one bucket per doubling of the gap in minutes, the last bucket
 * collecting everything longer. Data sets without timestamps store positions, so there the buckets measure
 * how many interactions ago.
 */
public final class TimeGaps {

    private TimeGaps() {
    }

    public static int bucket(double gapSeconds, int buckets) {
        if (!(gapSeconds > 0) || buckets == 1) {
            return 0;
        }
        int b = 1 + (int) Math.floor(Math.log(1 + gapSeconds / 60.0) / Math.log(2));
        return Math.min(buckets - 1, b);
    }
}
