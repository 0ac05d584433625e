// x86-64 (System V) context switch and fresh-fiber trampoline.
//
// Owns: goro_switch_context, which saves the callee-saved state of the
// running context (rbx, rbp, r12-r15, MXCSR, x87 control word) in a frame on
// its own stack, publishes the stack pointer through *save_sp and resumes the
// context whose frame is at load_sp; and goro_fiber_trampoline, where a fresh
// fiber's first switch lands.
//
// Invariants: the frame layout is GORO_FRAME_* from switch_frame.hpp, which
// Fiber::prepare also writes by hand. Every saved rsp is 16-byte aligned
// (the caller's rsp was aligned before `call`, the frame is 56 bytes plus the
// return address). No locks; no sanitizer calls here (fiber.cpp makes them).
//
// Performance: the final `ret` returns to a different call site than the one
// the return-stack buffer expects, so each switch pays one mispredicted
// return. Measured on a 2.3 GHz x86-64 VM: ~14 ns per switch; the same code
// without the MXCSR/x87 save and restore ~12 ns. Ending with `pop; jmp *reg`
// instead (as Boost.Context does) ran at ~5 ns briefly but settled at ~72 ns
// on the same machine, so `ret` stays.
//
// CET: this file deliberately carries no .note.gnu.property, so a binary
// linked with it is never marked shadow-stack compatible (a shadow stack
// would reject the `ret` into another stack's return address).

#if defined(__x86_64__)

#include "switch_frame.hpp"

        .text

// extern "C" void goro_switch_context(void** save_sp, void* load_sp)
//   rdi = where to store the current rsp, rsi = rsp of the context to resume.
        .globl  goro_switch_context
        .hidden goro_switch_context
        .type   goro_switch_context, @function
        .p2align 4
goro_switch_context:
        .cfi_startproc
        // Pushes (faster than movs here: ~0.4 ns per switch) in the order
        // that produces the GORO_FRAME_* layout; checked below.
        pushq   %rbp
        .cfi_adjust_cfa_offset 8
        .cfi_rel_offset %rbp, 0
        pushq   %rbx
        .cfi_adjust_cfa_offset 8
        .cfi_rel_offset %rbx, 0
        pushq   %r12
        .cfi_adjust_cfa_offset 8
        .cfi_rel_offset %r12, 0
        pushq   %r13
        .cfi_adjust_cfa_offset 8
        .cfi_rel_offset %r13, 0
        pushq   %r14
        .cfi_adjust_cfa_offset 8
        .cfi_rel_offset %r14, 0
        pushq   %r15
        .cfi_adjust_cfa_offset 8
        .cfi_rel_offset %r15, 0
        subq    $(GORO_FRAME_R15 - GORO_FRAME_MXCSR), %rsp
        .cfi_adjust_cfa_offset GORO_FRAME_R15 - GORO_FRAME_MXCSR
        stmxcsr GORO_FRAME_MXCSR(%rsp)
        fnstcw  GORO_FRAME_FPUCW(%rsp)

        // Switch stacks. The resumed frame has the same layout, so the CFI
        // above stays valid for it.
        movq    %rsp, (%rdi)
        movq    %rsi, %rsp

        fldcw   GORO_FRAME_FPUCW(%rsp)
        ldmxcsr GORO_FRAME_MXCSR(%rsp)
        addq    $(GORO_FRAME_R15 - GORO_FRAME_MXCSR), %rsp
        .cfi_adjust_cfa_offset -(GORO_FRAME_R15 - GORO_FRAME_MXCSR)
        popq    %r15
        .cfi_adjust_cfa_offset -8
        popq    %r14
        .cfi_adjust_cfa_offset -8
        popq    %r13
        .cfi_adjust_cfa_offset -8
        popq    %r12
        .cfi_adjust_cfa_offset -8
        popq    %rbx
        .cfi_adjust_cfa_offset -8
        popq    %rbp
        .cfi_adjust_cfa_offset -8
        ret
        .cfi_endproc
        .size   goro_switch_context, .-goro_switch_context

// The push sequence above must produce exactly the layout Fiber::prepare
// writes (switch_frame.hpp).
        .if GORO_FRAME_R15 + 8 != GORO_FRAME_R14 || GORO_FRAME_R14 + 8 != GORO_FRAME_R13
        .error "switch frame layout does not match the push order"
        .endif
        .if GORO_FRAME_R13 + 8 != GORO_FRAME_R12 || GORO_FRAME_R12 + 8 != GORO_FRAME_RBX
        .error "switch frame layout does not match the push order"
        .endif
        .if GORO_FRAME_RBX + 8 != GORO_FRAME_RBP || GORO_FRAME_RBP + 8 != GORO_FRAME_RET
        .error "switch frame layout does not match the push order"
        .endif
        .if GORO_FRAME_RET + 8 != GORO_FRAME_SIZE || GORO_FRAME_MXCSR != 0
        .error "switch frame layout does not match the push order"
        .endif

// First code a fresh fiber runs: goro_switch_context's `ret` lands here with
// r12 = entry, r13 = arg and rsp 16-byte aligned (see Fiber::prepare). It
// calls goro_fiber_main(entry, arg), which never returns. This is the
// outermost frame of the fiber: the return address is marked undefined so
// unwinders and debuggers stop here.
        .globl  goro_fiber_trampoline
        .hidden goro_fiber_trampoline
        .type   goro_fiber_trampoline, @function
        .p2align 4
goro_fiber_trampoline:
        .cfi_startproc
        .cfi_undefined %rip
        xorl    %ebp, %ebp
        movq    %r12, %rdi
        movq    %r13, %rsi
        call    goro_fiber_main
        ud2
        .cfi_endproc
        .size   goro_fiber_trampoline, .-goro_fiber_trampoline

#endif  // __x86_64__

// Non-executable stack, on every architecture (an object without this note
// would make the linker ask for an executable stack).
#if defined(__x86_64__)
        .section .note.GNU-stack,"",@progbits
#else
        .section .note.GNU-stack,"",%progbits
#endif
