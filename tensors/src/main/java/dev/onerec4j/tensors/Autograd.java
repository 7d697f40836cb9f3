package dev.onerec4j.tensors;

import dev.onerec4j.kernels.BinaryOp;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The dynamic tape. Ops call {@link #record} after computing their output; {@link Tensor#backward()} walks the
 * recorded graph in reverse topological order, sums the gradients that reach each tensor, and accumulates the
 * gradients of leaves into {@link Tensor#grad()} (so several backward passes accumulate, as micro-batches
 * need). The graph is freed as it is walked: saved tensors become unreachable and their scope can release them.
 */
public final class Autograd {

    private Autograd() {
    }

    /** True when grad mode is on and any input requires grad: the op must then record itself. */
    public static boolean needsGrad(Tensor... inputs) {
        if (!GradMode.isEnabled()) {
            return false;
        }
        for (Tensor t : inputs) {
            if (t != null && t.requiresGrad()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Records that {@code out} was produced by {@code op} from {@code inputs}, if any input requires grad and grad
     * mode is on. Returns {@code out}.
     */
    public static Tensor record(Tensor out, String op, Node.Backward backward, Tensor... inputs) {
        if (needsGrad(inputs)) {
            out.setGradFn(new Node(op, inputs.clone(), backward));
        }
        return out;
    }

    static void backward(Tensor root, Tensor seed) {
        if (!root.requiresGrad()) {
            throw new IllegalStateException("backward(): the tensor does not require grad; no parameter or input "
                    + "that requires grad contributed to it");
        }
        Shapes.requireSame("backward (output gradient)", root.shape(), seed.shape());
        List<Tensor> order = topologicalOrder(root);
        Map<Tensor, Tensor> pending = new IdentityHashMap<>();
        pending.put(root, seed);
        try (var g = GradMode.disabled()) {
            for (int i = order.size() - 1; i >= 0; i--) {
                Tensor t = order.get(i);
                Tensor grad = pending.remove(t);
                Node node = t.gradFn();
                if (node == null) {
                    if (grad != null) {
                        accumulateIntoLeaf(t, grad);
                    }
                    continue;
                }
                Tensor[] inputs = node.inputs();
                if (grad != null) {
                    Tensor[] grads = node.apply(grad);
                    if (grads.length != inputs.length) {
                        throw new IllegalStateException(node.op() + ": backward returned " + grads.length
                                + " gradients for " + inputs.length + " inputs");
                    }
                    for (int k = 0; k < inputs.length; k++) {
                        Tensor in = inputs[k];
                        if (in == null || !in.requiresGrad() || grads[k] == null) {
                            continue;
                        }
                        if (!Arrays.equals(in.shape(), grads[k].shape())) {
                            throw new IllegalStateException(node.op() + ": gradient of input " + k + " has shape "
                                    + Shapes.str(grads[k].shape()) + ", input has " + Shapes.str(in.shape()));
                        }
                        pending.merge(in, grads[k], Autograd::sum);
                    }
                }
                node.free();
            }
        }
    }

    /** Adds {@code rows} into the gradient of leaf {@code leaf} at the given row indices (sparse accumulation). */
    public static void accumulateRows(Tensor leaf, Tensor indices, Tensor rows) {
        if (leaf.grad() == null) {
            Tensor g = Tensor.empty(leaf.dtype(), leaf.device(), leaf.storage().owner(), leaf.shape());
            g.fill(0.0);
            leaf.setGrad(g);
        }
        leaf.backend().indexAdd(leaf.grad(), indices, rows);
    }

    /** True for a tensor that requires grad and was not produced by a recorded op (a parameter or input). */
    public static boolean isLeaf(Tensor t) {
        return t.requiresGrad() && t.gradFn() == null;
    }

    private static Tensor sum(Tensor a, Tensor b) {
        Tensor out = Tensor.emptyLike(a, a.shape());
        a.backend().binary(BinaryOp.ADD, a, b.dtype() == a.dtype() ? b : b.to(a.dtype()), out);
        return out;
    }

    private static void accumulateIntoLeaf(Tensor leaf, Tensor grad) {
        Tensor existing = leaf.grad();
        if (existing == null) {
            // The gradient lives as long as the leaf: allocate it in the leaf's own scope.
            Tensor g = Tensor.empty(leaf.dtype(), leaf.device(), leaf.storage().owner(), leaf.shape());
            g.backend().copy(grad, g);
            leaf.setGrad(g);
        } else {
            existing.backend().binary(BinaryOp.ADD, existing,
                    grad.dtype() == existing.dtype() ? grad : grad.to(existing.dtype()), existing);
        }
    }

    /** Tensors reachable from {@code root} through recorded nodes, each after all of its inputs. */
    private static List<Tensor> topologicalOrder(Tensor root) {
        List<Tensor> order = new ArrayList<>();
        Set<Tensor> visited = Collections.newSetFromMap(new IdentityHashMap<>());
        ArrayDeque<Object[]> stack = new ArrayDeque<>();
        stack.push(new Object[] {root, 0});
        visited.add(root);
        while (!stack.isEmpty()) {
            Object[] frame = stack.peek();
            Tensor t = (Tensor) frame[0];
            int next = (Integer) frame[1];
            Node node = t.gradFn();
            if (node != null && node.isFreed()) {
                throw new IllegalStateException("the graph through '" + node.op()
                        + "' was already back-propagated and freed: run the forward pass again");
            }
            Tensor[] inputs = node == null ? null : node.inputs();
            if (inputs != null && next < inputs.length) {
                frame[1] = next + 1;
                Tensor in = inputs[next];
                if (in != null && in.requiresGrad() && visited.add(in)) {
                    stack.push(new Object[] {in, 0});
                }
            } else {
                stack.pop();
                order.add(t);
            }
        }
        return order;
    }
}
