package dev.onerec4j.tensors.backend.cuda;

/** Messages for the error codes kernels write to the device error word (see {@code common.cuh}). */
final class DeviceErrors {

    static final int INDEX_OUT_OF_RANGE = 1;
    static final int TARGET_OUT_OF_RANGE = 2;
    static final int TRIE_NODE_OUT_OF_RANGE = 3;

    private DeviceErrors() {
    }

    static String describe(int code, int a, int b, int c) {
        return switch (code) {
            case INDEX_OUT_OF_RANGE -> "CUDA indexing (indexSelect/indexAdd/gatherLast/scatterAddLast): index " + b
                    + " at position " + a + " is outside [0, " + c + ")";
            case TARGET_OUT_OF_RANGE -> "crossEntropy: target " + b + " of row " + a + " is outside [0, " + c
                    + ") and is not the ignore index";
            case TRIE_NODE_OUT_OF_RANGE -> "beamStep: trie node " + b + " of beam " + a + " is outside [0, " + c + ")";
            default -> "a CUDA kernel reported error code " + code + " (" + a + ", " + b + ", " + c + ")";
        };
    }
}
