package dev.onerec4j.tensors;

/**
 * One recorded op of the autograd tape: the op's name, its inputs, and how to turn the gradient of its output
 * into gradients of its inputs. The backward function runs with autograd disabled and may use any op.
 */
public final class Node {

    /** Computes input gradients from the output gradient; entries may be null for inputs that need none. */
    @FunctionalInterface
    public interface Backward {
        Tensor[] apply(Tensor gradOutput);
    }

    private final String op;
    private Tensor[] inputs;
    private Backward backward;

    Node(String op, Tensor[] inputs, Backward backward) {
        this.op = op;
        this.inputs = inputs;
        this.backward = backward;
    }

    public String op() {
        return op;
    }

    Tensor[] inputs() {
        return inputs;
    }

    Tensor[] apply(Tensor gradOutput) {
        if (backward == null) {
            throw new IllegalStateException("the graph through '" + op
                    + "' was already back-propagated and freed: run the forward pass again");
        }
        return backward.apply(gradOutput);
    }

    /** Drops the saved tensors and inputs so their memory can be reused. */
    void free() {
        backward = null;
        inputs = null;
    }

    boolean isFreed() {
        return backward == null;
    }
}
