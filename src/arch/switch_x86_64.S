// x86-64 (System V) fresh-fiber trampoline.
//
// Owns: goro_fiber_trampoline, where a fresh fiber's first switch lands, and
// the ABI-default floating-point control words it installs. The switch itself
// is inline assembly in fiber.hpp (why: see there).
//
// Invariants: the frame layout is GORO_FRAME_* from switch_frame.hpp, which
// Fiber::prepare writes by hand. The floating-point control state (MXCSR, x87
// control word) is not switched: it belongs to the thread, and every goroutine
// must leave it at the ABI default wherever it may switch (the rule is in
// include/goro/runtime.hpp). No locks; no sanitizer calls here (fiber.cpp
// makes them).
//
// Performance history (2-core KVM guest, Xeon family 6 model 207, taskset -c
// 1): saving and restoring MXCSR and the x87 control word cost ~2 ns of the
// old 14 ns `ret`-based switch, and 70-110 ns per switch once the switch ended
// in an indirect jump (ldmxcsr/fldcw on that path stall), which is why they
// are no longer switched.
//
// CET: this file deliberately carries no .note.gnu.property, so a binary
// linked with it is never marked shadow-stack or IBT compatible (the switch
// jumps to resume addresses that carry no endbr64, and the resumed context's
// returns would not match a shadow stack).

#if defined(__x86_64__)

#include "switch_frame.hpp"

        .text

// First code a fresh fiber runs: the switch's final jump lands here with the
// frame popped, so rsp points at entry (rsp + 8: arg) and is 16-byte aligned
// (see Fiber::prepare). It sets the ABI-default MXCSR and x87 control word
// (whatever the thread's previous goroutine left behind), then calls
// goro_fiber_main(entry, arg), which never returns. This is the outermost
// frame of the fiber: the return address is marked undefined so unwinders and
// debuggers stop here.
        .globl  goro_fiber_trampoline
        .hidden goro_fiber_trampoline
        .type   goro_fiber_trampoline, @function
        .p2align 4
goro_fiber_trampoline:
        .cfi_startproc
        .cfi_undefined %rip
        xorl    %ebp, %ebp
        ldmxcsr goro_default_mxcsr(%rip)
        fldcw   goro_default_fpucw(%rip)
        movq    GORO_FRAME_ENTRY - GORO_FRAME_SIZE(%rsp), %rdi
        movq    GORO_FRAME_ARG - GORO_FRAME_SIZE(%rsp), %rsi
        call    goro_fiber_main
        ud2
        .cfi_endproc
        .size   goro_fiber_trampoline, .-goro_fiber_trampoline

        .section .rodata
        .p2align 2
        .type   goro_default_mxcsr, @object
goro_default_mxcsr:
        .long   GORO_DEFAULT_MXCSR
        .size   goro_default_mxcsr, 4
        .type   goro_default_fpucw, @object
goro_default_fpucw:
        .short  GORO_DEFAULT_FPUCW
        .size   goro_default_fpucw, 2

#endif  // __x86_64__

// Non-executable stack, on every architecture (an object without this note
// would make the linker ask for an executable stack).
#if defined(__x86_64__)
        .section .note.GNU-stack,"",@progbits
#else
        .section .note.GNU-stack,"",%progbits
#endif
