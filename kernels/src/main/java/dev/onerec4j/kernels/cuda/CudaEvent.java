package dev.onerec4j.kernels.cuda;

/** A timing event on the context's stream: record two, synchronize the second, read the milliseconds between. */
public final class CudaEvent implements AutoCloseable {

    private final CudaContext context;
    private final long handle;

    public CudaEvent(CudaContext context) {
        this.context = context;
        context.makeCurrent();
        this.handle = context.driver().eventCreate(CudaDriver.CU_EVENT_DEFAULT);
    }

    public CudaEvent record() {
        context.makeCurrent();
        context.driver().eventRecord(handle, context.stream());
        return this;
    }

    public void synchronize() {
        context.driver().eventSynchronize(handle);
    }

    /** Milliseconds from {@code start} to this event (both recorded; waits for this one). */
    public float millisSince(CudaEvent start) {
        synchronize();
        return context.driver().eventElapsedMillis(start.handle, handle);
    }

    @Override
    public void close() {
        context.driver().eventDestroy(handle);
    }
}
