// Layout of the switch frame a suspended context leaves on its stack.
//
// Owns: the byte offsets shared by the switch code (the inline assembly in
// fiber.hpp on x86-64, switch_aarch64.S), the trampolines (switch_<arch>.S,
// which include this file through the C preprocessor) and Fiber::prepare
// (fiber.cpp), which builds the same frame by hand on a fresh stack so that
// the first switch "resumes" into the trampoline; and the ABI-default
// floating-point control values the trampolines install.
//
// Invariants: the frame starts at the saved stack pointer (Fiber::sp_) and is
// a multiple of 16 bytes. On x86-64 it holds rbp and the resume address
// (popped and jumped to; every other register is clobbered at the switch, so
// the compiler saves what is live); on aarch64 it holds x19-x30 and d8-d15
// and the resume address is the saved x30 (used by `ret`). The floating-point
// control state (MXCSR, x87 control word, FPCR) is not part of the frame: it
// belongs to the thread. Plain macros only: this file must stay valid
// assembler input. No locks.
#pragma once

#if defined(__x86_64__)

// Offsets from the saved rsp.
#define GORO_FRAME_RBP 0
#define GORO_FRAME_RIP 8    // where the context resumes
#define GORO_FRAME_SIZE 16  // saved rsp + GORO_FRAME_SIZE = rsp after the switch

// A fresh fiber's frame (Fiber::prepare) is followed by the trampoline's
// inputs, which it finds at 0(%rsp) and 8(%rsp) once the frame is popped.
#define GORO_FRAME_ENTRY 16
#define GORO_FRAME_ARG 24

// ABI-default control words (SysV x86-64: all exceptions masked, round to
// nearest; x87 extended precision), installed by goro_fiber_trampoline.
#define GORO_DEFAULT_MXCSR 0x1F80
#define GORO_DEFAULT_FPUCW 0x037F

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

static_assert(kSize % 16 == 0, "switch frame must keep the stack 16-byte aligned");

#if defined(__x86_64__)
static_assert(GORO_FRAME_RBP == 0 && GORO_FRAME_RIP == 8 && GORO_FRAME_SIZE == 16,
              "the inline switch in fiber.hpp pushes rip, then rbp");
static_assert(GORO_FRAME_ENTRY == GORO_FRAME_SIZE && GORO_FRAME_ARG == GORO_FRAME_ENTRY + 8);
#elif defined(__aarch64__)
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
