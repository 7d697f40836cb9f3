package dev.onerec4j.kernels.cuda;

/**
 * A CUDA graph captured from the context's stream and instantiated once, for loops that launch the same short
 * kernels many times (the decode step of beam search): replaying the graph costs one launch instead of one per
 * kernel. The captured work must not synchronise, copy to the host or allocate device memory, and every buffer
 * it touches must stay allocated (and at the same address) for as long as the graph is replayed. Run the body
 * once before capturing it, so its kernels are compiled and loaded and its cuBLASLt plans built outside the
 * capture; keep its temporaries in a scope that outlives the graph.
 */
public final class CudaGraph implements AutoCloseable {

    private final CudaContext context;
    private final long graph;
    private final long exec;

    private CudaGraph(CudaContext context, long graph, long exec) {
        this.context = context;
        this.graph = graph;
        this.exec = exec;
    }

    /** Captures what {@code body} issues on the stream (this thread only) and instantiates it. */
    public static CudaGraph capture(CudaContext context, Runnable body) {
        context.makeCurrent();
        CudaDriver d = context.driver();
        d.streamBeginCapture(context.stream(), CudaDriver.CU_STREAM_CAPTURE_MODE_THREAD_LOCAL);
        long graph;
        try {
            body.run();
        } catch (RuntimeException | Error e) {
            // End the capture so the stream is usable again; the partial graph is discarded.
            try {
                long g = d.streamEndCapture(context.stream());
                if (g != 0) {
                    d.graphDestroy(g);
                }
            } catch (CudaException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        graph = d.streamEndCapture(context.stream());
        long exec;
        try {
            exec = d.graphInstantiate(graph);
        } catch (CudaException e) {
            d.graphDestroy(graph);
            throw e;
        }
        return new CudaGraph(context, graph, exec);
    }

    /** Replays the captured work on the stream (asynchronously). */
    public void launch() {
        context.makeCurrent();
        context.driver().graphLaunch(exec, context.stream());
    }

    @Override
    public void close() {
        context.driver().graphExecDestroy(exec);
        context.driver().graphDestroy(graph);
    }
}
