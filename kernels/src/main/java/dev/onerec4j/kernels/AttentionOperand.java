package dev.onerec4j.kernels;

import java.lang.foreign.MemorySegment;

/**
 * Where one operand of the attention kernels lives: a memory segment, the element offset of its first element,
 * and element strides for (batch, head, row). Within a row the elements are contiguous (unit stride), so a row
 * can be read with vector loads. A stride may be zero (a broadcast operand). For a key mask {@code [b, tk]} the
 * head stride is unused and the row stride steps from one key to the next.
 */
public record AttentionOperand(MemorySegment segment, long offset, long batchStride, long headStride, long rowStride) {

    /** Element offset of row {@code row} of head {@code head} in batch {@code batch}. */
    public long at(int batch, int head, int row) {
        return offset + batch * batchStride + head * headStride + row * rowStride;
    }
}
