// Layout of the frame goro_switch_context leaves on a suspended stack.
//
// Owns: the byte offsets shared by the assembly switch routines
// (switch_x86_64.S, switch_aarch64.S, which include this file through the C
// preprocessor) and Fiber::prepare (fiber.cpp), which builds the same frame by
// hand on a fresh stack so that the first switch "returns" into the
// trampoline; and the ABI-default floating-point control values the
// trampolines install.
//
// Invariants: the frame starts at the saved stack pointer (Fiber::sp_). On
// x86-64 it is 56 bytes, the saved rsp is 8 mod 16 (16-byte aligned once the
// frame is popped) and the return address is the last slot (popped and jumped
// to); on aarch64 it is a multiple of 16 bytes, sp stays 16-byte aligned and
// the return address is the saved x30 (used by `ret`). The floating-point
// control state (MXCSR, x87 control word, FPCR) is not part of the frame: it
// belongs to the thread. Plain macros only: this file must stay valid
// assembler input. No locks.
#pragma once

#if defined(__x86_64__)

// Offsets from the saved rsp.
#define GORO_FRAME_R15 0
#define GORO_FRAME_R14 8
#define GORO_FRAME_R13 16
#define GORO_FRAME_R12 24
#define GORO_FRAME_RBX 32
#define GORO_FRAME_RBP 40
#define GORO_FRAME_SAVED 48  // bytes the routine pushes below the return address
#define GORO_FRAME_RET 48    // return address pushed by the caller's `call`
#define GORO_FRAME_SIZE 56   // saved rsp + GORO_FRAME_SIZE = rsp after the frame is popped

// ABI-default control words (SysV x86-64: all exceptions masked, round to
// nearest; x87 extended precision), installed by goro_fiber_trampoline.
#define GORO_DEFAULT_MXCSR 0x1F80
#define GORO_DEFAULT_FPUCW 0x037F

// Trampoline inputs for a fresh fiber (callee-saved, so they survive the switch).
// r12 = entry, r13 = arg.

#elif defined(__aarch64__)

// Offsets from the saved sp.
#define GORO_FRAME_X19 0
#define GORO_FRAME_X21 16
#define GORO_FRAME_X23 32
#define GORO_FRAME_X25 48
#define GORO_FRAME_X27 64
#define GORO_FRAME_X29 80  // x29 (frame pointer), x30 (link register) at +88
#define GORO_FRAME_X30 88
#define GORO_FRAME_D8 96
#define GORO_FRAME_D10 112
#define GORO_FRAME_D12 128
#define GORO_FRAME_D14 144
#define GORO_FRAME_SIZE 160  // saved sp + GORO_FRAME_SIZE = sp after return

// Trampoline inputs for a fresh fiber: x19 = entry, x20 = arg (x20 lives at
// GORO_FRAME_X19 + 8).

#else
#error "goro: unsupported architecture (x86-64 and aarch64 only)"
#endif

#if !defined(__ASSEMBLER__)

#include <cstddef>

namespace goro::rt::frame {

inline constexpr std::size_t kSize = GORO_FRAME_SIZE;

#if defined(__x86_64__)
// A `call` leaves rsp at 8 mod 16; the frame keeps it there.
static_assert(kSize % 16 == 8, "switch frame must keep the caller's stack alignment");
static_assert(GORO_FRAME_SAVED + 8 == GORO_FRAME_SIZE);
static_assert(GORO_FRAME_RET == GORO_FRAME_SAVED);
static_assert(GORO_FRAME_R15 == 0);
static_assert(GORO_FRAME_R14 == GORO_FRAME_R15 + 8 && GORO_FRAME_R13 == GORO_FRAME_R14 + 8 &&
              GORO_FRAME_R12 == GORO_FRAME_R13 + 8 && GORO_FRAME_RBX == GORO_FRAME_R12 + 8 &&
              GORO_FRAME_RBP == GORO_FRAME_RBX + 8 && GORO_FRAME_RET == GORO_FRAME_RBP + 8);
#elif defined(__aarch64__)
static_assert(kSize % 16 == 0, "switch frame must keep the stack 16-byte aligned");
static_assert(GORO_FRAME_X21 == GORO_FRAME_X19 + 16 && GORO_FRAME_X23 == GORO_FRAME_X21 + 16 &&
              GORO_FRAME_X25 == GORO_FRAME_X23 + 16 && GORO_FRAME_X27 == GORO_FRAME_X25 + 16 &&
              GORO_FRAME_X29 == GORO_FRAME_X27 + 16 && GORO_FRAME_X30 == GORO_FRAME_X29 + 8);
static_assert(GORO_FRAME_D8 == GORO_FRAME_X29 + 16 && GORO_FRAME_D10 == GORO_FRAME_D8 + 16 &&
              GORO_FRAME_D12 == GORO_FRAME_D10 + 16 && GORO_FRAME_D14 == GORO_FRAME_D12 + 16 &&
              GORO_FRAME_SIZE == GORO_FRAME_D14 + 16);
// ldp/stp immediates are scaled by 8 and must stay below 512.
static_assert(GORO_FRAME_D14 < 504);
#endif

}  // namespace goro::rt::frame

#endif  // !__ASSEMBLER__
