// Element-wise binary, unary, affine and where over broadcast (stride-0) views, in F32. Counterpart of
// CpuElementwise; the op codes are the ordinals mapped in CudaOpCodes.java and the formulas follow
// ElementwiseKernels.binaryScalar / unaryScalar.
#include "common.cuh"

#define B_ADD 0
#define B_SUB 1
#define B_MUL 2
#define B_DIV 3
#define B_MAX 4
#define B_MIN 5
#define B_POW 6
#define B_EQ 7
#define B_GT 8
#define B_SWIGLU 9
#define B_SILU_GRAD 10
#define B_RELU_GRAD 11
#define B_GELU_GRAD 12
#define B_TANH_GRAD 13
#define B_SIGMOID_GRAD 14

#define U_NEG 0
#define U_EXP 1
#define U_LOG 2
#define U_SQRT 3
#define U_ABS 4
#define U_SQUARE 5
#define U_RECIPROCAL 6
#define U_SIGMOID 7
#define U_TANH 8
#define U_RELU 9
#define U_SILU 10
#define U_GELU 11
#define U_SIGN 12

#define SQRT_2_OVER_PI 0.7978845608028654f
#define GELU_C 0.044715f

__device__ __forceinline__ float gelu_derivative(float x) {
    float u = SQRT_2_OVER_PI * (x + GELU_C * x * x * x);
    float t = tanhf(u);
    float du = SQRT_2_OVER_PI * (1.0f + 3.0f * GELU_C * x * x);
    return 0.5f * (1.0f + t) + 0.5f * x * (1.0f - t * t) * du;
}

__device__ __forceinline__ float apply_binary(int op, float x, float y) {
    switch (op) {
        case B_ADD: return x + y;
        case B_SUB: return x - y;
        case B_MUL: return x * y;
        case B_DIV: return x / y;
        case B_MAX: return jmax(x, y);
        case B_MIN: return jmin(x, y);
        case B_POW: return powf(x, y);
        case B_EQ: return x == y ? 1.0f : 0.0f;
        case B_GT: return x > y ? 1.0f : 0.0f;
        case B_SWIGLU: return x * sigmoidf_(x) * y;
        case B_SILU_GRAD: {
            float s = sigmoidf_(x);
            return y * s * (1.0f + x * (1.0f - s));
        }
        case B_RELU_GRAD: return x > 0.0f ? y : 0.0f;
        case B_GELU_GRAD: return y * gelu_derivative(x);
        case B_TANH_GRAD: return y * (1.0f - x * x);
        case B_SIGMOID_GRAD: return y * x * (1.0f - x);
        default: return qnan();
    }
}

__device__ __forceinline__ float apply_unary(int op, float x) {
    switch (op) {
        case U_NEG: return -x;
        case U_EXP: return expf(x);
        case U_LOG: return logf(x);
        case U_SQRT: return sqrtf(x);
        case U_ABS: return fabsf(x);
        case U_SQUARE: return x * x;
        case U_RECIPROCAL: return 1.0f / x;
        case U_SIGMOID: return sigmoidf_(x);
        case U_TANH: return tanhf(x);
        case U_RELU: return is_nan(x) ? x : fmaxf(x, 0.0f);
        case U_SILU: return x * sigmoidf_(x);
        case U_GELU: return 0.5f * x * (1.0f + tanhf(SQRT_2_OVER_PI * (x + GELU_C * x * x * x)));
        case U_SIGN: return x > 0.0f ? 1.0f : (x < 0.0f ? -1.0f : x);
        default: return qnan();
    }
}

extern "C" __global__ void binary_f32(int op, Dims d, Operand ao, Operand bo, Operand oo, const float* a,
                                      const float* b, float* out) {
    i64 n = numel(d);
    for (i64 i = (i64) blockIdx.x * blockDim.x + threadIdx.x; i < n; i += (i64) gridDim.x * blockDim.x) {
        i64 ia, ib, io;
        offsets3(i, d, ao, bo, oo, ia, ib, io);
        out[io] = apply_binary(op, a[ia], b[ib]);
    }
}

extern "C" __global__ void unary_f32(int op, Dims d, Operand ao, Operand oo, const float* a, float* out) {
    i64 n = numel(d);
    for (i64 i = (i64) blockIdx.x * blockDim.x + threadIdx.x; i < n; i += (i64) gridDim.x * blockDim.x) {
        i64 ia, io;
        offsets2(i, d, ao, oo, ia, io);
        out[io] = apply_unary(op, a[ia]);
    }
}

extern "C" __global__ void affine_f32(Dims d, Operand ao, Operand oo, const float* a, float scale, float shift,
                                      float* out) {
    i64 n = numel(d);
    for (i64 i = (i64) blockIdx.x * blockDim.x + threadIdx.x; i < n; i += (i64) gridDim.x * blockDim.x) {
        i64 ia, io;
        offsets2(i, d, ao, oo, ia, io);
        out[io] = a[ia] * scale + shift;
    }
}

// out = cond != 0 ? a : b, moving raw bits of elementBytes (4: F32/I32, 2: BF16).
extern "C" __global__ void where_bits(Dims d, Operand co, Operand ao, Operand bo, Operand oo, const int* cond,
                                      const void* a, const void* b, void* out, int elementBytes) {
    i64 n = numel(d);
    for (i64 i = (i64) blockIdx.x * blockDim.x + threadIdx.x; i < n; i += (i64) gridDim.x * blockDim.x) {
        i64 ic, ia, ib;
        offsets3(i, d, co, ao, bo, ic, ia, ib);
        i64 io = offset_of(i, d, oo);
        bool c = cond[ic] != 0;
        if (elementBytes == 2) {
            ((bf16_t*) out)[io] = c ? ((const bf16_t*) a)[ia] : ((const bf16_t*) b)[ib];
        } else {
            ((unsigned int*) out)[io] = c ? ((const unsigned int*) a)[ia] : ((const unsigned int*) b)[ib];
        }
    }
}
