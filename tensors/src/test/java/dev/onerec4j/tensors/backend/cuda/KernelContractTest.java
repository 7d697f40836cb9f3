package dev.onerec4j.tensors.backend.cuda;

import dev.onerec4j.kernels.BinaryOp;
import dev.onerec4j.kernels.ReduceOp;
import dev.onerec4j.kernels.UnaryOp;
import dev.onerec4j.kernels.cuda.KernelSources;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The Java side and the .cu sources agree on op codes, error codes and struct sizes: read from the kernel
 * sources themselves, so a change on one side without the other fails here, without a GPU.
 */
class KernelContractTest {

    private static Map<String, Integer> defines(String source) {
        Map<String, Integer> out = new HashMap<>();
        Matcher m = Pattern.compile("(?m)^#define\\s+(\\w+)\\s+(\\d+)\\s*$").matcher(KernelSources.read(source));
        while (m.find()) {
            out.put(m.group(1), Integer.parseInt(m.group(2)));
        }
        return out;
    }

    @Test
    void opCodesMatchTheKernelDefines() {
        Map<String, Integer> ew = defines("elementwise.cu");
        for (BinaryOp op : BinaryOp.values()) {
            Integer code = ew.get("B_" + op.name());
            assertNotNull(code, "elementwise.cu has no B_" + op.name());
            assertEquals(code, CudaOpCodes.binary(op), op.name());
        }
        for (UnaryOp op : UnaryOp.values()) {
            Integer code = ew.get("U_" + op.name());
            assertNotNull(code, "elementwise.cu has no U_" + op.name());
            assertEquals(code, CudaOpCodes.unary(op), op.name());
        }
        Map<String, Integer> common = defines("common.cuh");
        for (ReduceOp op : ReduceOp.values()) {
            assertEquals(common.get("OP_" + op.name()), CudaOpCodes.reduce(op), op.name());
        }
    }

    @Test
    void errorCodesAndDtypeCodesMatch() {
        Map<String, Integer> common = defines("common.cuh");
        assertEquals(common.get("ERR_INDEX_OUT_OF_RANGE"), DeviceErrors.INDEX_OUT_OF_RANGE);
        assertEquals(common.get("ERR_TARGET_OUT_OF_RANGE"), DeviceErrors.TARGET_OUT_OF_RANGE);
        assertEquals(common.get("ERR_TRIE_NODE_OUT_OF_RANGE"), DeviceErrors.TRIE_NODE_OUT_OF_RANGE);
        assertEquals(common.get("MAX_RANK"), StridedLayout.MAX_RANK);
        Map<String, Integer> copy = defines("copy.cu");
        assertEquals(copy.get("DT_F32"), CudaCopy.dtypeCode("t", dev.onerec4j.tensors.DType.F32));
        assertEquals(copy.get("DT_BF16"), CudaCopy.dtypeCode("t", dev.onerec4j.tensors.DType.BF16));
        assertEquals(copy.get("DT_I32"), CudaCopy.dtypeCode("t", dev.onerec4j.tensors.DType.I32));
    }

    @Test
    void attentionConstantsMatch() {
        Map<String, Integer> att = defines("attention.cu");
        assertEquals(att.get("ATT_WARPS"), CudaAttention.WARPS);
        assertEquals(att.get("KT"), CudaAttention.TILE);
        assertEquals(att.get("MAXC") * 32, CudaAttention.MAX_HEAD);
        // AttnParams: 11 longs, 8 ints, a float and a pad int.
        assertEquals(11 * 8 + 8 * 4 + 4 + 4, AttentionParams.BYTES);
        String src = KernelSources.read("attention.cu");
        assertEquals(true, src.contains("i64 qB, qH, qT;") && src.contains("i64 mB, mT;")
                && src.contains("int B, Hq, Hkv, Tq, Tk, D, Dv, causal;"), "AttnParams fields changed: update AttentionParams");
    }

    @Test
    void attentionFitsSharedMemoryOfHopperUpToTheMaxHead() {
        // H100 allows 227 KiB per block after opting in.
        assertEquals(true, CudaAttention.backwardShared(CudaAttention.MAX_HEAD, CudaAttention.MAX_HEAD) <= 227 * 1024);
        assertEquals(true, CudaAttention.forwardShared(64, 64) <= 48 * 1024, "common head sizes need no opt-in");
    }
}
