// AArch64 (AAPCS64) context switch and fresh-fiber trampoline.
//
// Owns: goro_switch_context, which saves the callee-saved state of the
// running context (x19-x30, d8-d15) in a frame on its own stack, publishes sp
// through *save_sp and resumes the context whose frame is at load_sp; and
// goro_fiber_trampoline, where a fresh fiber's first switch lands and which
// sets the default FPCR.
//
// Invariants: the frame layout is GORO_FRAME_* from switch_frame.hpp, which
// Fiber::prepare also writes by hand. sp is 16-byte aligned at all times.
// FPCR is not switched: like MXCSR on x86-64 it belongs to the thread, and
// every goroutine must leave it at the default wherever it may switch (the
// rule is in include/goro/runtime.hpp). No locks; no sanitizer calls here
// (fiber.cpp makes them).
//
// Performance: not measured on aarch64 hardware (only checked under
// qemu-user). On x86-64 the switch is inline assembly entered and resumed by
// jumps, which keeps the return-stack predictor balanced (fiber.hpp explains
// why); here the out-of-line `bl`/`ret` routine stays until someone measures
// the equivalent on a real core.

#if defined(__aarch64__)

#include "switch_frame.hpp"

        .text

// extern "C" void goro_switch_context(void** save_sp, void* load_sp)
//   x0 = where to store the current sp, x1 = sp of the context to resume.
        .globl  goro_switch_context
        .hidden goro_switch_context
        .type   goro_switch_context, %function
        .p2align 4
goro_switch_context:
        .cfi_startproc
        sub     sp, sp, #GORO_FRAME_SIZE
        .cfi_def_cfa_offset GORO_FRAME_SIZE
        stp     x19, x20, [sp, #GORO_FRAME_X19]
        .cfi_offset x19, GORO_FRAME_X19 - GORO_FRAME_SIZE
        .cfi_offset x20, GORO_FRAME_X19 + 8 - GORO_FRAME_SIZE
        stp     x21, x22, [sp, #GORO_FRAME_X21]
        .cfi_offset x21, GORO_FRAME_X21 - GORO_FRAME_SIZE
        .cfi_offset x22, GORO_FRAME_X21 + 8 - GORO_FRAME_SIZE
        stp     x23, x24, [sp, #GORO_FRAME_X23]
        .cfi_offset x23, GORO_FRAME_X23 - GORO_FRAME_SIZE
        .cfi_offset x24, GORO_FRAME_X23 + 8 - GORO_FRAME_SIZE
        stp     x25, x26, [sp, #GORO_FRAME_X25]
        .cfi_offset x25, GORO_FRAME_X25 - GORO_FRAME_SIZE
        .cfi_offset x26, GORO_FRAME_X25 + 8 - GORO_FRAME_SIZE
        stp     x27, x28, [sp, #GORO_FRAME_X27]
        .cfi_offset x27, GORO_FRAME_X27 - GORO_FRAME_SIZE
        .cfi_offset x28, GORO_FRAME_X27 + 8 - GORO_FRAME_SIZE
        stp     x29, x30, [sp, #GORO_FRAME_X29]
        .cfi_offset x29, GORO_FRAME_X29 - GORO_FRAME_SIZE
        .cfi_offset x30, GORO_FRAME_X30 - GORO_FRAME_SIZE
        stp     d8, d9, [sp, #GORO_FRAME_D8]
        .cfi_offset d8, GORO_FRAME_D8 - GORO_FRAME_SIZE
        .cfi_offset d9, GORO_FRAME_D8 + 8 - GORO_FRAME_SIZE
        stp     d10, d11, [sp, #GORO_FRAME_D10]
        .cfi_offset d10, GORO_FRAME_D10 - GORO_FRAME_SIZE
        .cfi_offset d11, GORO_FRAME_D10 + 8 - GORO_FRAME_SIZE
        stp     d12, d13, [sp, #GORO_FRAME_D12]
        .cfi_offset d12, GORO_FRAME_D12 - GORO_FRAME_SIZE
        .cfi_offset d13, GORO_FRAME_D12 + 8 - GORO_FRAME_SIZE
        stp     d14, d15, [sp, #GORO_FRAME_D14]
        .cfi_offset d14, GORO_FRAME_D14 - GORO_FRAME_SIZE
        .cfi_offset d15, GORO_FRAME_D14 + 8 - GORO_FRAME_SIZE

        // Switch stacks. The resumed frame has the same layout, so the CFI
        // above stays valid for it.
        mov     x10, sp
        str     x10, [x0]
        mov     sp, x1

        ldp     x19, x20, [sp, #GORO_FRAME_X19]
        ldp     x21, x22, [sp, #GORO_FRAME_X21]
        ldp     x23, x24, [sp, #GORO_FRAME_X23]
        ldp     x25, x26, [sp, #GORO_FRAME_X25]
        ldp     x27, x28, [sp, #GORO_FRAME_X27]
        ldp     x29, x30, [sp, #GORO_FRAME_X29]
        ldp     d8, d9, [sp, #GORO_FRAME_D8]
        ldp     d10, d11, [sp, #GORO_FRAME_D10]
        ldp     d12, d13, [sp, #GORO_FRAME_D12]
        ldp     d14, d15, [sp, #GORO_FRAME_D14]
        add     sp, sp, #GORO_FRAME_SIZE
        .cfi_def_cfa_offset 0
        ret
        .cfi_endproc
        .size   goro_switch_context, .-goro_switch_context

// First code a fresh fiber runs: goro_switch_context's `ret` lands here
// (through the saved x30) with x19 = entry, x20 = arg and sp 16-byte aligned
// (see Fiber::prepare). It sets the default FPCR (round to nearest, no
// traps, whatever the thread's previous goroutine left behind), then calls
// goro_fiber_main(entry, arg), which never returns. This is the outermost frame of the fiber: the return address is
// marked undefined so unwinders and debuggers stop here.
        .globl  goro_fiber_trampoline
        .hidden goro_fiber_trampoline
        .type   goro_fiber_trampoline, %function
        .p2align 4
goro_fiber_trampoline:
        .cfi_startproc
        .cfi_undefined x30
        mov     x29, xzr
        msr     fpcr, xzr
        mov     x0, x19
        mov     x1, x20
        bl      goro_fiber_main
        brk     #0x1
        .cfi_endproc
        .size   goro_fiber_trampoline, .-goro_fiber_trampoline

#endif  // __aarch64__

// Non-executable stack, on every architecture (an object without this note
// would make the linker ask for an executable stack).
#if defined(__x86_64__)
        .section .note.GNU-stack,"",@progbits
#else
        .section .note.GNU-stack,"",%progbits
#endif
