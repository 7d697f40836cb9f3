package dev.onerec4j.kernels;

/**
 * bfloat16 conversions. A bf16 value is the upper 16 bits of an IEEE float; widening is exact (shift left by
 * 16), narrowing rounds to nearest with ties to even, and keeps NaN a (quiet) NaN.
 */
public final class Bf16 {

    private Bf16() {
    }

    /** Narrows a float to bf16 bits, round-to-nearest-even; NaN stays NaN, infinities stay infinite. */
    public static short fromFloat(float f) {
        int bits = Float.floatToRawIntBits(f);
        if ((bits & 0x7fffffff) > 0x7f800000) {
            // NaN: keep the sign and make sure the truncated mantissa is not zero (which would read as infinity).
            return (short) ((bits >>> 16) | 0x0040);
        }
        int lsb = (bits >>> 16) & 1;
        int rounded = bits + 0x7fff + lsb;
        return (short) (rounded >>> 16);
    }

    /** Widens bf16 bits to the float they denote (exact). */
    public static float toFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xffff) << 16);
    }

    /** Rounds a float to the nearest bf16-representable float. */
    public static float round(float f) {
        return toFloat(fromFloat(f));
    }
}
