package dev.onerec4j.tensors;

/**
 * Element types. F32 is the compute type; BF16 is a storage and matmul-input type (FP32 accumulation); F64
 * exists on the CPU for finite-difference gradient checks and reference computations; I32 holds indices.
 */
public enum DType {
    F32(4, true),
    BF16(2, true),
    F64(8, true),
    I32(4, false);

    private final int byteSize;
    private final boolean floating;

    DType(int byteSize, boolean floating) {
        this.byteSize = byteSize;
        this.floating = floating;
    }

    public int byteSize() {
        return byteSize;
    }

    public boolean isFloating() {
        return floating;
    }

    /** Name used in safetensors headers. */
    public String safetensorsName() {
        return switch (this) {
            case F32 -> "F32";
            case BF16 -> "BF16";
            case F64 -> "F64";
            case I32 -> "I32";
        };
    }

    public static DType fromSafetensorsName(String name) {
        for (DType d : values()) {
            if (d.safetensorsName().equals(name)) {
                return d;
            }
        }
        return null;
    }
}
