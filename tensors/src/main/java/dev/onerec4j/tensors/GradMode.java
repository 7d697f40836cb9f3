package dev.onerec4j.tensors;

/** Per-thread switch for recording ops on the autograd tape. */
public final class GradMode {

    private static final ThreadLocal<boolean[]> ENABLED = ThreadLocal.withInitial(() -> new boolean[] {true});

    private GradMode() {
    }

    public static boolean isEnabled() {
        return ENABLED.get()[0];
    }

    /** Disables recording until the returned guard is closed: {@code try (var g = GradMode.disabled()) {...}}. */
    public static Guard disabled() {
        return set(false);
    }

    /** Enables recording until the returned guard is closed. */
    public static Guard enabled() {
        return set(true);
    }

    private static Guard set(boolean value) {
        boolean[] flag = ENABLED.get();
        boolean previous = flag[0];
        flag[0] = value;
        return new Guard(flag, previous);
    }

    /** Restores the previous mode when closed. */
    public static final class Guard implements AutoCloseable {
        private final boolean[] flag;
        private final boolean previous;

        private Guard(boolean[] flag, boolean previous) {
            this.flag = flag;
            this.previous = previous;
        }

        @Override
        public void close() {
            flag[0] = previous;
        }
    }
}
