// A CUDA emulator for tests without a GPU: the driver API, NVRTC and cuBLASLt entry points the project binds,
// implemented on the CPU. Kernels are the project's .cu sources compiled as C++ with emu.h and registered by
// name; cuLaunchKernel runs every block on fibers (one per CUDA thread). Device memory is host memory, filled
// with 0xFF (NaN) bytes when allocated so that unwritten outputs show. Streams are synchronous; stream capture
// records launches and replays them on cuGraphLaunch.
#include "emu.h"

#include <ucontext.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace emu {

dim3e block_idx;
dim3e block_dim;
dim3e grid_dim;

struct Kernel {
    void* fn;
    void (*invoke)(void*, void**);
    void* (*bind)(void*, void**);
    std::string name;
};

static std::map<std::string, Kernel>& registry() {
    static std::map<std::string, Kernel> r;
    return r;
}

static std::map<std::string, int>& modules() {
    static std::map<std::string, int> m;
    return m;
}

int register_module(const char* name) {
    modules()[name] = 1;
    return 0;
}

bool has_module(const std::string& name) { return modules().count(name) != 0; }

void register_kernel_impl(const char* name, void* fn, void (*invoke)(void*, void**), void* (*bind)(void*, void**)) {
    registry()[name] = Kernel{fn, invoke, bind, name};
}

enum State { RUNNABLE = 0, AT_BARRIER = 1, AT_WARP = 2, DONE = 3 };

struct Fiber {
    ucontext_t ctx;
    dim3e tid;
    int linear;
    int state;
    int kind;
    unsigned long long value;
    int arg;
    unsigned long long result;
};

static const size_t STACK = 256 * 1024;
static std::vector<Fiber> fibers;
static std::vector<char*> stacks;
static ucontext_t scheduler;
static Fiber* current;
static const Kernel* running;
static void** running_params;
static std::vector<unsigned char> dyn_shared;
static std::string failure;

const dim3e& thread_idx() { return current->tid; }

void* dynamic_shared() { return dyn_shared.data(); }

static void yield() { swapcontext(&current->ctx, &scheduler); }

void sync_threads() {
    current->state = AT_BARRIER;
    yield();
}

unsigned long long warp_op(int kind, unsigned long long value, int arg) {
    current->state = AT_WARP;
    current->kind = kind;
    current->value = value;
    current->arg = arg;
    yield();
    return current->result;
}

static void fiber_main() {
    running->invoke(running->fn, running_params);
    current->state = DONE;
    swapcontext(&current->ctx, &scheduler);
}

static void fail(const std::string& what) {
    if (failure.empty()) failure = what;
}

// Runs one block to completion; returns false (and sets failure) on a divergent barrier or warp op.
static bool run_block(int threads) {
    for (int t = 0; t < threads; ++t) {
        Fiber& f = fibers[t];
        f.linear = t;
        f.tid = dim3e{(unsigned) (t % block_dim.x), (unsigned) ((t / block_dim.x) % block_dim.y),
                      (unsigned) (t / (block_dim.x * block_dim.y))};
        f.state = RUNNABLE;
        getcontext(&f.ctx);
        f.ctx.uc_stack.ss_sp = stacks[t];
        f.ctx.uc_stack.ss_size = STACK;
        f.ctx.uc_link = &scheduler;
        makecontext(&f.ctx, fiber_main, 0);
    }
    // Odd blocks run their threads in reverse order, so a read of another thread's write that lacks a barrier
    // sees stale data in one of the two orders and fails the test.
    const bool reverse = ((block_idx.x + block_idx.y + block_idx.z) & 1) != 0;
    for (;;) {
        for (int i = 0; i < threads; ++i) {
            int t = reverse ? threads - 1 - i : i;
            if (fibers[t].state == RUNNABLE) {
                current = &fibers[t];
                swapcontext(&scheduler, &fibers[t].ctx);
            }
        }
        bool all_done = true;
        for (int t = 0; t < threads; ++t) {
            all_done &= fibers[t].state == DONE;
        }
        if (all_done) return true;
        bool released = false;
        for (int w = 0; w * 32 < threads; ++w) {
            int lo = w * 32;
            int hi = lo + 32 < threads ? lo + 32 : threads;
            int waiting = 0;
            int done = 0;
            for (int t = lo; t < hi; ++t) {
                waiting += fibers[t].state == AT_WARP;
                done += fibers[t].state == DONE;
            }
            if (waiting == 0 || waiting + done != hi - lo) continue;
            if (done != 0) {
                fail(running->name + ": warp " + std::to_string(w) + " shuffles while some of its lanes have exited");
                return false;
            }
            int kind = fibers[lo].kind;
            unsigned long long ballot = 0;
            for (int t = lo; t < hi; ++t) {
                if (fibers[t].kind != kind) {
                    fail(running->name + ": lanes of warp " + std::to_string(w) + " are at different warp operations");
                    return false;
                }
                if (fibers[t].value != 0) ballot |= 1ull << (t - lo);
            }
            for (int t = lo; t < hi; ++t) {
                Fiber& f = fibers[t];
                int lane = t - lo;
                int src = kind == OP_XOR ? (lane ^ f.arg) : (f.arg & 31);
                if (kind == OP_BALLOT) {
                    f.result = ballot;
                } else if (kind == OP_SYNC) {
                    f.result = 0;
                } else {
                    f.result = lo + src < hi ? fibers[lo + src].value : f.value;
                }
                f.state = RUNNABLE;
            }
            released = true;
        }
        if (released) continue;
        int at_barrier = 0;
        int live = 0;
        for (int t = 0; t < threads; ++t) {
            if (fibers[t].state != DONE) {
                live++;
                at_barrier += fibers[t].state == AT_BARRIER;
            }
        }
        if (at_barrier == live) {
            // Threads that exited count as arrived (as on the GPU for exited warps).
            for (int t = 0; t < threads; ++t) {
                if (fibers[t].state == AT_BARRIER) fibers[t].state = RUNNABLE;
            }
            continue;
        }
        fail(running->name + ": deadlock - some threads wait at __syncthreads while others wait at a warp operation");
        return false;
    }
}

static int launch(const Kernel& k, void** params, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by,
                  unsigned bz, unsigned shared) {
    int threads = (int) (bx * by * bz);
    if (threads < 1 || threads > 1024) return 1;
    while ((int) stacks.size() < threads) stacks.push_back((char*) malloc(STACK));
    fibers.resize(threads);
    dyn_shared.assign(shared + 16, 0xff);
    running = &k;
    running_params = params;
    block_dim = dim3e{bx, by, bz};
    grid_dim = dim3e{gx, gy, gz};
    for (unsigned z = 0; z < gz; ++z) {
        for (unsigned y = 0; y < gy; ++y) {
            for (unsigned x = 0; x < gx; ++x) {
                block_idx = dim3e{x, y, z};
                if (!run_block(threads)) {
                    fprintf(stderr, "CUDA emulator: %s\n", failure.c_str());
                    return 719;  // CUDA_ERROR_LAUNCH_FAILED
                }
            }
        }
    }
    return 0;
}

}  // namespace emu

// ---------------------------------------------------------------- driver API

typedef int CUresult;
static std::mutex big_lock;
static bool capturing = false;
static std::vector<std::function<int()>> captured;
static std::map<void*, size_t> allocations;

struct FakeFunction {
    const emu::Kernel* kernel;
};

static const char* error_name(int e) {
    switch (e) {
        case 0: return "CUDA_SUCCESS";
        case 1: return "CUDA_ERROR_INVALID_VALUE";
        case 2: return "CUDA_ERROR_OUT_OF_MEMORY";
        case 500: return "CUDA_ERROR_NOT_FOUND";
        case 719: return "CUDA_ERROR_LAUNCH_FAILED";
        default: return "CUDA_ERROR_UNKNOWN";
    }
}

extern "C" {

CUresult cuInit(unsigned) { return 0; }
CUresult cuDriverGetVersion(int* v) { *v = 13000; return 0; }
CUresult cuGetErrorName(int e, const char** s) { *s = error_name(e); return 0; }
CUresult cuGetErrorString(int e, const char** s) {
    *s = e == 719 ? emu::failure.c_str() : "emulated error";
    return 0;
}
CUresult cuDeviceGetCount(int* n) { *n = 1; return 0; }
CUresult cuDeviceGet(int* d, int ordinal) { *d = ordinal; return ordinal == 0 ? 0 : 101; }
CUresult cuDeviceGetName(char* name, int len, int) {
    snprintf(name, len, "onerec4j CUDA emulator");
    return 0;
}
CUresult cuDeviceGetAttribute(int* v, int attr, int) {
    switch (attr) {
        case 75: *v = 9; break;             // compute capability major
        case 76: *v = 0; break;             // minor
        case 16: *v = 4; break;             // multiprocessors
        case 97: *v = 227 * 1024; break;    // shared memory per block, opt-in
        case 8: *v = 48 * 1024; break;
        case 38: *v = 50 << 20; break;
        default: *v = 0;
    }
    return 0;
}
CUresult cuDevicePrimaryCtxRetain(void** ctx, int) { *ctx = (void*) 0x1; return 0; }
CUresult cuDevicePrimaryCtxRelease_v2(int) { return 0; }
CUresult cuCtxSetCurrent(void*) { return 0; }
CUresult cuCtxSynchronize() { return 0; }
CUresult cuMemGetInfo_v2(size_t* free, size_t* total) { *free = 8ull << 30; *total = 8ull << 30; return 0; }
CUresult cuMemAlloc_v2(unsigned long long* p, size_t bytes) {
    std::lock_guard<std::mutex> g(big_lock);
    // Exactly the requested size (256-byte aligned like cudaMalloc), so AddressSanitizer sees overruns.
    void* m = nullptr;
    if (posix_memalign(&m, 256, bytes == 0 ? 1 : bytes) != 0) return 2;
    memset(m, 0xff, bytes);
    allocations[m] = bytes;
    *p = (unsigned long long) m;
    return 0;
}
CUresult cuMemFree_v2(unsigned long long p) {
    std::lock_guard<std::mutex> g(big_lock);
    auto it = allocations.find((void*) p);
    if (it == allocations.end()) return 1;
    allocations.erase(it);
    free((void*) p);
    return 0;
}
static CUresult run_or_capture(std::function<int()> op) {
    if (capturing) {
        captured.push_back(op);
        return 0;
    }
    return op();
}
CUresult cuMemcpyHtoDAsync_v2(unsigned long long dst, const void* src, size_t n, void*) {
    if (capturing) return 900;
    memcpy((void*) dst, src, n);
    return 0;
}
CUresult cuMemcpyDtoHAsync_v2(void* dst, unsigned long long src, size_t n, void*) {
    if (capturing) return 900;
    memcpy(dst, (const void*) src, n);
    return 0;
}
CUresult cuMemcpyDtoDAsync_v2(unsigned long long dst, unsigned long long src, size_t n, void*) {
    return run_or_capture([=]() { memmove((void*) dst, (const void*) src, n); return 0; });
}
CUresult cuMemsetD8Async(unsigned long long dst, unsigned char v, size_t n, void*) {
    return run_or_capture([=]() { memset((void*) dst, v, n); return 0; });
}
CUresult cuMemsetD16Async(unsigned long long dst, unsigned short v, size_t n, void*) {
    return run_or_capture([=]() {
        unsigned short* p = (unsigned short*) dst;
        for (size_t i = 0; i < n; ++i) p[i] = v;
        return 0;
    });
}
CUresult cuMemsetD32Async(unsigned long long dst, unsigned v, size_t n, void*) {
    return run_or_capture([=]() {
        unsigned* p = (unsigned*) dst;
        for (size_t i = 0; i < n; ++i) p[i] = v;
        return 0;
    });
}
CUresult cuStreamCreate(void** s, unsigned) { *s = (void*) 0x2; return 0; }
CUresult cuStreamDestroy_v2(void*) { return 0; }
CUresult cuStreamSynchronize(void*) { return capturing ? 900 : 0; }
CUresult cuStreamWaitEvent(void*, void*, unsigned) { return 0; }
CUresult cuEventCreate(double** e, unsigned) { *e = new double(0); return 0; }
CUresult cuEventRecord(double* e, void*) {
    *e = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now().time_since_epoch()).count();
    return 0;
}
CUresult cuEventSynchronize(double*) { return 0; }
CUresult cuEventElapsedTime_v2(float* ms, double* a, double* b) { *ms = (float) (*b - *a); return 0; }
CUresult cuEventDestroy_v2(double* e) { delete e; return 0; }
CUresult cuModuleLoadData(void** m, const void* image) {
    if (memcmp(image, "\x7f" "ELF", 4) != 0) return 200;
    *m = (void*) 0x3;
    return 0;
}
CUresult cuModuleUnload(void*) { return 0; }
CUresult cuModuleGetFunction(FakeFunction** f, void*, const char* name) {
    auto it = emu::registry().find(name);
    if (it == emu::registry().end()) return 500;
    *f = new FakeFunction{&it->second};
    return 0;
}
CUresult cuFuncSetAttribute(FakeFunction*, int, int) { return 0; }
CUresult cuFuncGetAttribute(int* v, int, FakeFunction*) { *v = 0; return 0; }
CUresult cuLaunchKernel(FakeFunction* f, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by, unsigned bz,
                        unsigned shared, void*, void** params, void** extra) {
    if (extra != nullptr) return 1;
    const emu::Kernel* k = f->kernel;
    if (capturing) {
        void** bound = (void**) k->bind(k->fn, params);
        captured.push_back([=]() { return emu::launch(*k, bound, gx, gy, gz, bx, by, bz, shared); });
        return 0;
    }
    std::lock_guard<std::mutex> g(big_lock);
    return emu::launch(*k, params, gx, gy, gz, bx, by, bz, shared);
}
struct FakeGraph {
    std::vector<std::function<int()>> ops;
};
CUresult cuStreamBeginCapture_v2(void*, int) {
    if (capturing) return 900;
    capturing = true;
    captured.clear();
    return 0;
}
CUresult cuStreamEndCapture(void*, FakeGraph** g) {
    if (!capturing) return 901;
    capturing = false;
    *g = new FakeGraph{captured};
    captured.clear();
    return 0;
}
CUresult cuGraphInstantiateWithFlags(FakeGraph** exec, FakeGraph* g, unsigned long long) {
    *exec = new FakeGraph{g->ops};
    return 0;
}
CUresult cuGraphLaunch(FakeGraph* exec, void*) {
    std::lock_guard<std::mutex> g(big_lock);
    for (auto& op : exec->ops) {
        int rc = op();
        if (rc != 0) return rc;
    }
    return 0;
}
CUresult cuGraphExecDestroy(FakeGraph* g) { delete g; return 0; }
CUresult cuGraphDestroy(FakeGraph* g) { delete g; return 0; }

// ---------------------------------------------------------------- NVRTC

struct FakeProgram {
    std::string name;
    std::string source;
    std::string log;
};
int nvrtcVersion(int* major, int* minor) { *major = 99; *minor = 0; return 0; }
const char* nvrtcGetErrorString(int) { return "emulated NVRTC error"; }
int nvrtcCreateProgram(FakeProgram** p, const char* src, const char* name, int, const char* const*, const char* const*) {
    *p = new FakeProgram{name, src, ""};
    return 0;
}
// The emulator has no compiler: it "compiles" only the project modules it was built with, and reports anything
// else as a compilation error whose log quotes the source.
int nvrtcCompileProgram(FakeProgram* p, int, const char* const*) {
    if (emu::has_module(p->name)) return 0;
    p->log = "the CUDA emulator runs only the prebuilt project kernels and cannot compile " + p->name + ":\n" + p->source;
    return 6;
}
int nvrtcGetProgramLogSize(FakeProgram* p, size_t* n) { *n = p->log.size() + 1; return 0; }
int nvrtcGetProgramLog(FakeProgram* p, char* log) { memcpy(log, p->log.c_str(), p->log.size() + 1); return 0; }
int nvrtcGetCUBINSize(FakeProgram* p, size_t* n) { *n = 4 + p->name.size(); return 0; }
int nvrtcGetCUBIN(FakeProgram* p, char* out) {
    memcpy(out, "\x7f" "ELF", 4);
    memcpy(out + 4, p->name.data(), p->name.size());
    return 0;
}
int nvrtcDestroyProgram(FakeProgram** p) { delete *p; *p = nullptr; return 0; }

// ---------------------------------------------------------------- cuBLASLt (naive GEMM, column-major as cuBLAS)

struct LtDesc {
    int computeType, scaleType, transa, transb;
};
struct LtLayout {
    int type;
    unsigned long long rows, cols;
    long long ld;
    int batch;
    long long stride;
};
const char* cublasLtGetStatusName(int s) { return s == 0 ? "CUBLAS_STATUS_SUCCESS" : s == 7 ? "CUBLAS_STATUS_INVALID_VALUE" : "CUBLAS_STATUS_NOT_SUPPORTED"; }
const char* cublasLtGetStatusString(int) { return "emulated cuBLASLt status"; }
int cublasLtCreate(void** h) { *h = (void*) 0x4; return 0; }
int cublasLtMatmulDescCreate(LtDesc** d, int compute, int scale) {
    *d = new LtDesc{compute, scale, 0, 0};
    return 0;
}
int cublasLtMatmulDescSetAttribute(LtDesc* d, int attr, const void* buf, size_t size) {
    if (size != 4) return 7;
    if (attr == 3) d->transa = *(const int*) buf;
    else if (attr == 4) d->transb = *(const int*) buf;
    else return 7;
    return 0;
}
int cublasLtMatrixLayoutCreate(LtLayout** l, int type, unsigned long long rows, unsigned long long cols, long long ld) {
    if (ld < (long long) rows) return 7;
    *l = new LtLayout{type, rows, cols, ld, 1, 0};
    return 0;
}
int cublasLtMatrixLayoutSetAttribute(LtLayout* l, int attr, const void* buf, size_t size) {
    if (attr == 5 && size == 4) l->batch = *(const int*) buf;
    else if (attr == 6 && size == 8) l->stride = *(const long long*) buf;
    else return 7;
    return 0;
}
int cublasLtMatmulPreferenceCreate(void** p) { *p = new unsigned[4]{256, 256, 256, 256}; return 0; }
// The preference holds the minimum alignments of A, B, C, D (default 256, as in cuBLASLt); the chosen "algo"
// remembers them and cublasLtMatmul refuses pointers that are less aligned, as a real kernel could fault.
int cublasLtMatmulPreferenceSetAttribute(unsigned* p, int attr, const void* buf, size_t size) {
    if (attr == 1 && size == 8) return 0;
    if (attr >= 5 && attr <= 8 && size == 4) {
        p[attr - 5] = *(const unsigned*) buf;
        return 0;
    }
    return 7;
}
int cublasLtMatmulAlgoGetHeuristic(void*, LtDesc* d, LtLayout* a, LtLayout* b, LtLayout* c, LtLayout*, unsigned* pref,
                                   int requested, unsigned char* results, int* count) {
    if (requested < 1) return 7;
    if (d->computeType != 68 || d->scaleType != 0 || a->type != b->type || (a->type != 0 && a->type != 14) || c->type != 0) {
        *count = 0;
        return 15;
    }
    memset(results, 0, 96);
    memcpy(results, pref, 16);
    *count = 1;
    return 0;
}
static float load(const void* base, int type, long long i) {
    if (type == 0) return ((const float*) base)[i];
    unsigned bits = ((unsigned) ((const unsigned short*) base)[i]) << 16;
    float f;
    memcpy(&f, &bits, 4);
    return f;
}
int cublasLtMatmul(void*, LtDesc* d, const float* alpha, const void* A, LtLayout* la, const void* B, LtLayout* lb,
                   const float* beta, const void* C, LtLayout* lc, void* D, LtLayout* ld, const unsigned* algo, void*, size_t,
                   void*) {
    const void* ptrs[4] = {A, B, C, D};
    for (int i = 0; i < 4; ++i) {
        if (algo[i] == 0 || ((unsigned long long) ptrs[i]) % algo[i] != 0) return 7;
    }
    long long m = (long long) ld->rows;
    long long n = (long long) ld->cols;
    long long k = d->transa ? (long long) la->rows : (long long) la->cols;
    long long am = d->transa ? (long long) la->cols : (long long) la->rows;
    long long bk = d->transb ? (long long) lb->cols : (long long) lb->rows;
    long long bn = d->transb ? (long long) lb->rows : (long long) lb->cols;
    if (am != m || bk != k || bn != n || lc->rows != ld->rows || lc->cols != ld->cols) return 7;
    if (la->batch != ld->batch || lb->batch != ld->batch || lc->batch != ld->batch) return 7;
    std::lock_guard<std::mutex> g(big_lock);
    for (int z = 0; z < ld->batch; ++z) {
        for (long long j = 0; j < n; ++j) {
            for (long long i = 0; i < m; ++i) {
                float acc = 0.0f;
                for (long long p = 0; p < k; ++p) {
                    long long ai = z * la->stride + (d->transa ? i * la->ld + p : p * la->ld + i);
                    long long bi = z * lb->stride + (d->transb ? p * lb->ld + j : j * lb->ld + p);
                    acc += load(A, la->type, ai) * load(B, lb->type, bi);
                }
                long long ci = z * lc->stride + j * lc->ld + i;
                long long di = z * ld->stride + j * ld->ld + i;
                float prior = *beta == 0.0f ? 0.0f : ((const float*) C)[ci];
                ((float*) D)[di] = *alpha * acc + *beta * prior;
            }
        }
    }
    return 0;
}

}  // extern "C"
