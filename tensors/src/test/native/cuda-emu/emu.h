// Device-side shim that lets the project's CUDA C++ kernels compile as ordinary C++ and run on the CPU inside
// the CUDA emulator (emu_runtime.cpp), for testing without a GPU. Each CUDA thread is a fiber; the threads of
// one block run cooperatively on one OS thread, blocks one after another, so __shared__ maps to a static.
// Warp intrinsics and __syncthreads are rendezvous points of the scheduler, which reports divergent barriers
// and shuffles with exited lanes as errors instead of hanging.
#pragma once
#include <math.h>
#include <string.h>
#include <type_traits>

#define ONEREC4J_EMULATOR 1

struct dim3e {
    unsigned x, y, z;
};

namespace emu {
extern dim3e block_idx;
extern dim3e block_dim;
extern dim3e grid_dim;
const dim3e& thread_idx();
void sync_threads();
unsigned long long warp_op(int kind, unsigned long long value, int arg);
void* dynamic_shared();
enum { OP_IDX = 0, OP_XOR = 1, OP_BALLOT = 2, OP_SYNC = 3 };
template <class T>
unsigned long long to_bits(T v) {
    unsigned long long b = 0;
    memcpy(&b, &v, sizeof(T));
    return b;
}
template <class T>
T from_bits(unsigned long long b) {
    T v;
    memcpy(&v, &b, sizeof(T));
    return v;
}
int register_module(const char* name);
void register_kernel_impl(const char* name, void* fn, void (*invoke)(void*, void**), void* (*bind)(void*, void**));
}  // namespace emu

#define threadIdx (emu::thread_idx())
#define blockIdx (emu::block_idx)
#define blockDim (emu::block_dim)
#define gridDim (emu::grid_dim)
#define __global__
#define __device__
#define __host__
#define __forceinline__ inline
#define __restrict__ __restrict
#define __shared__ static
#define __launch_bounds__(...)
#define DYNAMIC_SHARED(T, name) T* name = (T*) emu::dynamic_shared()

inline void __syncthreads() { emu::sync_threads(); }
inline void __syncwarp(unsigned = 0xffffffffu) { emu::warp_op(emu::OP_SYNC, 0, 0); }

template <class T>
inline T __shfl_sync(unsigned, T v, int src) {
    return emu::from_bits<T>(emu::warp_op(emu::OP_IDX, emu::to_bits(v), src));
}
template <class T>
inline T __shfl_xor_sync(unsigned, T v, int mask) {
    return emu::from_bits<T>(emu::warp_op(emu::OP_XOR, emu::to_bits(v), mask));
}
inline unsigned __ballot_sync(unsigned, int pred) {
    return (unsigned) emu::warp_op(emu::OP_BALLOT, pred ? 1 : 0, 0);
}
inline int __popc(unsigned x) { return __builtin_popcount(x); }

inline float __int_as_float(int i) { return emu::from_bits<float>(emu::to_bits(i)); }
inline float __uint_as_float(unsigned i) { return emu::from_bits<float>(emu::to_bits(i)); }
inline int __float_as_int(float f) { return emu::from_bits<int>(emu::to_bits(f)); }
inline unsigned __float_as_uint(float f) { return emu::from_bits<unsigned>(emu::to_bits(f)); }
inline int __double2int_rz(double d) {
    if (d != d) return 0;
    if (d >= 2147483647.0) return 2147483647;
    if (d <= -2147483648.0) return (-2147483647 - 1);
    return (int) d;
}

// One OS thread runs a block at a time, so atomics are plain read-modify-writes.
inline int atomicCAS(int* p, int compare, int value) {
    int old = *p;
    if (old == compare) *p = value;
    return old;
}
inline float atomicAdd(float* p, float v) {
    float old = *p;
    *p = old + v;
    return old;
}
inline int atomicAdd(int* p, int v) {
    int old = *p;
    *p = old + v;
    return old;
}

// CUDA's min/max take mixed int/unsigned and return the common type, as these do.
template <class A, class B>
inline typename std::common_type<A, B>::type min(A a, B b) {
    typedef typename std::common_type<A, B>::type T;
    return (T) a < (T) b ? (T) a : (T) b;
}
template <class A, class B>
inline typename std::common_type<A, B>::type max(A a, B b) {
    typedef typename std::common_type<A, B>::type T;
    return (T) a > (T) b ? (T) a : (T) b;
}

// Registration of extern "C" kernels with their parameter types, so cuLaunchKernel can unpack void** params.
namespace emu {
template <class... A>
struct Invoker {
    template <unsigned long... I>
    struct Seq {};
    template <unsigned long N, unsigned long... I>
    struct Make : Make<N - 1, N - 1, I...> {};
    template <unsigned long... I>
    struct Make<0, I...> {
        typedef Seq<I...> type;
    };
    template <unsigned long... I>
    static void call(void (*f)(A...), void** p, Seq<I...>) {
        f(*static_cast<typename std::remove_cv<typename std::remove_reference<A>::type>::type*>(p[I])...);
    }
    static void invoke(void* fn, void** p) { call((void (*)(A...)) fn, p, typename Make<sizeof...(A)>::type()); }
    // A heap copy of the argument values, for graph capture (the caller's argument block is reused).
    static void* bind(void*, void** p) {
        const unsigned long sizes[] = {sizeof(typename std::remove_cv<typename std::remove_reference<A>::type>::type)..., 0};
        void** values = new void*[sizeof...(A) + 1];
        for (unsigned long i = 0; i < sizeof...(A); ++i) {
            values[i] = ::operator new(sizes[i] + 16);
            memcpy(values[i], p[i], sizes[i]);
        }
        return values;
    }
};
template <class... A>
inline int register_kernel(const char* name, void (*f)(A...)) {
    register_kernel_impl(name, (void*) f, &Invoker<A...>::invoke, &Invoker<A...>::bind);
    return 0;
}
}  // namespace emu
