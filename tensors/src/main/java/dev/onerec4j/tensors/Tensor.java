package dev.onerec4j.tensors;

import dev.onerec4j.kernels.Bf16;
import dev.onerec4j.tensors.backend.Backend;
import dev.onerec4j.tensors.backend.Backends;
import dev.onerec4j.tensors.ops.Views;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * An n-dimensional array: a dtype, a shape, element strides and an offset into a {@link Storage}. Views
 * (reshape, transpose, permute, slice, expand) share storage and copy nothing. A tensor that requires grad
 * records the op that produced it, so {@link #backward()} can run reverse-mode differentiation.
 *
 * <p>Tensors are created in the current {@link MemoryScope} unless a scope is given; their memory is released
 * when that scope closes.
 */
public final class Tensor {

    private final Storage storage;
    private final DType dtype;
    private final int[] shape;
    private final long[] strides;
    private final long offset;

    private boolean requiresGrad;
    private Tensor grad;
    private Node gradFn;
    private String name;

    /** Creates a tensor over existing storage (used by views and backends). */
    public Tensor(Storage storage, DType dtype, int[] shape, long[] strides, long offset) {
        if (shape.length != strides.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " and strides "
                    + Arrays.toString(strides) + " differ in rank");
        }
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
        }
        this.storage = storage;
        this.dtype = dtype;
        this.shape = shape.clone();
        this.strides = strides.clone();
        this.offset = offset;
    }

    // ------------------------------------------------------------------ factories

    /** An uninitialised tensor on the CPU, in the current memory scope. */
    public static Tensor empty(DType dtype, int... shape) {
        return empty(dtype, Device.CPU, MemoryScope.current(), shape);
    }

    /** An uninitialised contiguous tensor on {@code device}, owned by {@code scope}. */
    public static Tensor empty(DType dtype, Device device, MemoryScope scope, int... shape) {
        long n = Shapes.numel(shape);
        Storage s = scope.allocate(device, Math.max(1, n) * dtype.byteSize());
        return new Tensor(s, dtype, shape, Shapes.contiguousStrides(shape), 0);
    }

    /** An uninitialised contiguous tensor with the dtype and device of {@code like}, in the current scope. */
    public static Tensor emptyLike(Tensor like, int... shape) {
        return empty(like.dtype, like.device(), MemoryScope.current(), shape);
    }

    public static Tensor zeros(DType dtype, int... shape) {
        return full(dtype, 0.0, shape);
    }

    public static Tensor ones(DType dtype, int... shape) {
        return full(dtype, 1.0, shape);
    }

    public static Tensor full(DType dtype, double value, int... shape) {
        Tensor t = empty(dtype, shape);
        t.backend().fill(t, value);
        return t;
    }

    /** A zero-filled tensor like {@code like} (dtype, device), in the current scope. */
    public static Tensor zerosLike(Tensor like) {
        Tensor t = emptyLike(like, like.shape);
        t.backend().fill(t, 0.0);
        return t;
    }

    /** An F32 tensor holding {@code values} in row-major order. */
    public static Tensor of(float[] values, int... shape) {
        checkCount(values.length, shape);
        Tensor t = empty(DType.F32, shape);
        MemorySegment.copy(values, 0, t.storage.segment(), ValueLayout.JAVA_FLOAT, 0, values.length);
        return t;
    }

    /** An F64 tensor holding {@code values} in row-major order. */
    public static Tensor of(double[] values, int... shape) {
        checkCount(values.length, shape);
        Tensor t = empty(DType.F64, shape);
        MemorySegment.copy(values, 0, t.storage.segment(), ValueLayout.JAVA_DOUBLE, 0, values.length);
        return t;
    }

    /** An I32 tensor holding {@code values} in row-major order. */
    public static Tensor ofInts(int[] values, int... shape) {
        checkCount(values.length, shape);
        Tensor t = empty(DType.I32, shape);
        MemorySegment.copy(values, 0, t.storage.segment(), ValueLayout.JAVA_INT, 0, values.length);
        return t;
    }

    /** A tensor of {@code dtype} holding {@code values} (converted) in row-major order. */
    public static Tensor of(DType dtype, double[] values, int... shape) {
        checkCount(values.length, shape);
        Tensor t = empty(dtype, shape);
        for (int i = 0; i < values.length; i++) {
            t.setFlat(i, values[i]);
        }
        return t;
    }

    /** A rank-0 tensor. */
    public static Tensor scalar(DType dtype, double value) {
        Tensor t = empty(dtype);
        t.setFlat(0, value);
        return t;
    }

    /** Normally distributed values with standard deviation {@code std}, deterministic for {@code seed}. */
    public static Tensor randn(DType dtype, long seed, double std, int... shape) {
        Tensor t = empty(dtype, shape);
        SplittableRandom r = new SplittableRandom(seed);
        long n = t.numel();
        for (long i = 0; i < n; i++) {
            t.setFlat(i, gaussian(r) * std);
        }
        return t;
    }

    /** Uniform values in {@code [low, high)}, deterministic for {@code seed}. */
    public static Tensor rand(DType dtype, long seed, double low, double high, int... shape) {
        Tensor t = empty(dtype, shape);
        SplittableRandom r = new SplittableRandom(seed);
        long n = t.numel();
        for (long i = 0; i < n; i++) {
            t.setFlat(i, low + (high - low) * r.nextDouble());
        }
        return t;
    }

    static double gaussian(SplittableRandom r) {
        double u1 = r.nextDouble();
        double u2 = r.nextDouble();
        return Math.sqrt(-2.0 * Math.log(Math.max(u1, 1e-300))) * Math.cos(2.0 * Math.PI * u2);
    }

    private static void checkCount(int count, int[] shape) {
        long n = Shapes.numel(shape);
        if (n != count) {
            throw new IllegalArgumentException(count + " values do not fill shape " + Arrays.toString(shape)
                    + " (" + n + " elements)");
        }
    }

    // ------------------------------------------------------------------ metadata

    public DType dtype() {
        return dtype;
    }

    public Device device() {
        return storage.device();
    }

    public Storage storage() {
        return storage;
    }

    /** The shape (a copy). */
    public int[] shape() {
        return shape.clone();
    }

    /** Size of dimension {@code d}; negative {@code d} counts from the end. */
    public int dim(int d) {
        return shape[Shapes.axis(d, shape.length, "dim")];
    }

    public int rank() {
        return shape.length;
    }

    public long numel() {
        return Shapes.numel(shape);
    }

    /** Element strides (a copy). */
    public long[] strides() {
        return strides.clone();
    }

    public long stride(int d) {
        return strides[Shapes.axis(d, shape.length, "stride")];
    }

    /** Offset of the first element, in elements. */
    public long offset() {
        return offset;
    }

    /** Byte offset of the first element in the storage's memory. */
    public long byteOffset() {
        return offset * dtype.byteSize();
    }

    /** The storage's CPU memory (fails if released or not on the CPU). */
    public MemorySegment segment() {
        return storage.segment();
    }

    public boolean isContiguous() {
        return Arrays.equals(strides, Shapes.contiguousStrides(shape)) || numel() <= 1
                || Shapes.isContiguousIgnoringUnitDims(shape, strides);
    }

    public Backend backend() {
        return Backends.of(storage.device());
    }

    public String name() {
        return name;
    }

    public Tensor name(String name) {
        this.name = name;
        return this;
    }

    // ------------------------------------------------------------------ element access (slow; tests, IO, debugging)

    /** Physical element index (into the storage) of the element at logical row-major position {@code flat}. */
    long physicalIndex(long flat) {
        long idx = offset;
        for (int d = shape.length - 1; d >= 0; d--) {
            int size = shape[d];
            if (size == 0) {
                return idx;
            }
            long coord = flat % size;
            flat /= size;
            idx += coord * strides[d];
        }
        return idx;
    }

    private long physicalIndex(int[] index) {
        if (index.length != shape.length) {
            throw new IllegalArgumentException("index of rank " + index.length + " for a tensor of shape "
                    + Arrays.toString(shape));
        }
        long idx = offset;
        for (int d = 0; d < index.length; d++) {
            if (index[d] < 0 || index[d] >= shape[d]) {
                throw new IndexOutOfBoundsException("index " + Arrays.toString(index) + " out of bounds for shape "
                        + Arrays.toString(shape));
            }
            idx += index[d] * strides[d];
        }
        return idx;
    }

    private double read(long physical) {
        MemorySegment s = storage.segment();
        return switch (dtype) {
            case F32 -> s.getAtIndex(ValueLayout.JAVA_FLOAT, physical);
            case F64 -> s.getAtIndex(ValueLayout.JAVA_DOUBLE, physical);
            case BF16 -> Bf16.toFloat(s.getAtIndex(ValueLayout.JAVA_SHORT, physical));
            case I32 -> s.getAtIndex(ValueLayout.JAVA_INT, physical);
        };
    }

    private void write(long physical, double v) {
        MemorySegment s = storage.segment();
        switch (dtype) {
            case F32 -> s.setAtIndex(ValueLayout.JAVA_FLOAT, physical, (float) v);
            case F64 -> s.setAtIndex(ValueLayout.JAVA_DOUBLE, physical, v);
            case BF16 -> s.setAtIndex(ValueLayout.JAVA_SHORT, physical, Bf16.fromFloat((float) v));
            case I32 -> s.setAtIndex(ValueLayout.JAVA_INT, physical, (int) v);
        }
    }

    /** The element at {@code index}, as a double. */
    public double get(int... index) {
        return read(physicalIndex(index));
    }

    /** Sets the element at {@code index} (no autograd). */
    public void set(double value, int... index) {
        write(physicalIndex(index), value);
    }

    /** The element at logical row-major position {@code flat}. */
    public double getFlat(long flat) {
        return read(physicalIndex(flat));
    }

    /** Sets the element at logical row-major position {@code flat} (no autograd). */
    public void setFlat(long flat, double value) {
        write(physicalIndex(flat), value);
    }

    /** The single value of a one-element tensor. */
    public double item() {
        if (numel() != 1) {
            throw new IllegalStateException("item() needs a one-element tensor, got shape " + Arrays.toString(shape));
        }
        return getFlat(0);
    }

    public double[] toDoubleArray() {
        Tensor c = onCpu();
        double[] out = new double[Math.toIntExact(numel())];
        for (int i = 0; i < out.length; i++) {
            out[i] = c.getFlat(i);
        }
        return out;
    }

    public float[] toFloatArray() {
        Tensor c = onCpu();
        float[] out = new float[Math.toIntExact(numel())];
        if (c.dtype == DType.F32 && c.isContiguous()) {
            MemorySegment.copy(c.segment(), ValueLayout.JAVA_FLOAT, c.byteOffset(), out, 0, out.length);
            return out;
        }
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) c.getFlat(i);
        }
        return out;
    }

    public int[] toIntArray() {
        Tensor c = onCpu();
        int[] out = new int[Math.toIntExact(numel())];
        for (int i = 0; i < out.length; i++) {
            out[i] = (int) c.getFlat(i);
        }
        return out;
    }

    private Tensor onCpu() {
        return device() == Device.CPU ? this : to(Device.CPU);
    }

    // ------------------------------------------------------------------ views and conversions (autograd-aware)

    public Tensor reshape(int... newShape) {
        return Views.reshape(this, newShape);
    }

    public Tensor transpose(int d0, int d1) {
        return Views.transpose(this, d0, d1);
    }

    public Tensor permute(int... order) {
        return Views.permute(this, order);
    }

    /** The sub-range {@code [from, to)} of dimension {@code dim}. */
    public Tensor slice(int dim, int from, int to) {
        return Views.slice(this, dim, from, to);
    }

    /** Index {@code index} of dimension {@code dim}, which is removed. */
    public Tensor select(int dim, int index) {
        return Views.select(this, dim, index);
    }

    public Tensor unsqueeze(int dim) {
        return Views.unsqueeze(this, dim);
    }

    public Tensor squeeze(int dim) {
        return Views.squeeze(this, dim);
    }

    /** Broadcasts size-1 dimensions (and missing leading ones) to {@code newShape} without copying. */
    public Tensor expand(int... newShape) {
        return Views.expand(this, newShape);
    }

    /** This tensor if its elements are laid out row-major without gaps, else a contiguous copy. */
    public Tensor contiguous() {
        return Views.contiguous(this);
    }

    /** A converted copy (or this tensor when the dtype already matches). Differentiable. */
    public Tensor to(DType target) {
        return Views.cast(this, target);
    }

    /** A copy on {@code target} (or this tensor when already there). Differentiable. */
    public Tensor to(Device target) {
        return Views.toDevice(this, target);
    }

    /** A contiguous copy in the current scope that does not take part in autograd. */
    public Tensor copy() {
        Tensor out = emptyLike(this, shape);
        backend().copy(this, out);
        return out;
    }

    /** A contiguous copy owned by {@code scope} that does not take part in autograd. */
    public Tensor copyTo(MemoryScope scope) {
        Tensor out = empty(dtype, device(), scope, shape);
        backend().copy(this, out);
        return out;
    }

    /** The same data, cut off from the autograd graph. */
    public Tensor detach() {
        return new Tensor(storage, dtype, shape, strides, offset);
    }

    /** Copies {@code src} (same shape; any dtype) into this tensor in place, outside autograd. */
    public Tensor copyFrom(Tensor src) {
        Shapes.requireSame("copyFrom", shape, src.shape);
        backend().copy(src, this);
        return this;
    }

    /** Sets every element to {@code value} in place, outside autograd. */
    public Tensor fill(double value) {
        backend().fill(this, value);
        return this;
    }

    // ------------------------------------------------------------------ autograd

    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** Marks a leaf tensor as a parameter (or input) whose gradient should be computed. */
    public Tensor requiresGrad(boolean value) {
        if (value && !dtype.isFloating()) {
            throw new IllegalArgumentException("only floating-point tensors can require grad, not " + dtype);
        }
        this.requiresGrad = value;
        return this;
    }

    /** The accumulated gradient of a leaf (null before the first backward). */
    public Tensor grad() {
        return grad;
    }

    /** Replaces the accumulated gradient (used by optimizers and gradient accumulation). */
    public void setGrad(Tensor grad) {
        if (grad != null) {
            Shapes.requireSame("setGrad", shape, grad.shape);
        }
        this.grad = grad;
    }

    /**
     * Zeroes the accumulated gradient in place. The buffer is kept (it lives in the leaf's own scope), so a
     * training loop reuses it every step instead of allocating a new one.
     */
    public void zeroGrad() {
        if (grad != null) {
            grad.fill(0.0);
        }
    }

    /** The node that produced this tensor, or null for a leaf. */
    public Node gradFn() {
        return gradFn;
    }

    void setGradFn(Node node) {
        this.gradFn = node;
        this.requiresGrad = true;
    }

    /** Back-propagates from this one-element tensor (seed 1). */
    public void backward() {
        if (numel() != 1) {
            throw new IllegalStateException("backward() without a gradient needs a one-element tensor, got shape "
                    + Arrays.toString(shape) + ": pass the output gradient");
        }
        Tensor seed = Tensor.full(dtype == DType.F64 ? DType.F64 : DType.F32, 1.0, shape);
        Autograd.backward(this, seed);
    }

    /** Back-propagates {@code gradOutput} (same shape as this tensor). */
    public void backward(Tensor gradOutput) {
        Autograd.backward(this, gradOutput);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Tensor(").append(dtype).append(Arrays.toString(shape));
        if (device() != Device.CPU) {
            sb.append(", ").append(device());
        }
        if (!storage.isReleased() && numel() <= 16 && device() == Device.CPU) {
            sb.append(", ").append(Arrays.toString(toDoubleArray()));
        }
        if (gradFn != null) {
            sb.append(", grad_fn=").append(gradFn.op());
        }
        return sb.append(')').toString();
    }
}
