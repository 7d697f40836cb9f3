package dev.onerec4j.tensors;

/** Where a tensor's storage lives. Every operand of an op must be on the same device. */
public enum Device {
    CPU,
    CUDA;

    /** Parses {@code cpu} or {@code cuda} (any case); a clear error names the accepted values otherwise. */
    public static Device parse(String s) {
        for (Device d : values()) {
            if (d.name().equalsIgnoreCase(s)) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown device '" + s + "': expected cpu or cuda");
    }
}
