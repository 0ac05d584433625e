// x86-64 (System V) context switch and fresh-fiber trampoline.
//
// Owns: goro_switch_context, which saves the callee-saved integer registers
// of the running context (rbx, rbp, r12-r15) in a frame on its own stack,
// publishes the stack pointer through *save_sp and resumes the context whose
// frame is at load_sp; and goro_fiber_trampoline, where a fresh fiber's first
// switch lands and which sets the ABI-default floating-point control words.
//
// Invariants: the frame layout is GORO_FRAME_* from switch_frame.hpp, which
// Fiber::prepare also writes by hand. Every saved rsp is 8 mod 16 (the
// caller's rsp was 16-byte aligned before `call`; the frame is 56 bytes
// including the return address). The floating-point control state (MXCSR,
// x87 control word) is not switched: it belongs to the thread, and every
// goroutine must leave it at the ABI default wherever it may switch (the rule
// is in include/goro/runtime.hpp). No locks; no sanitizer calls here
// (fiber.cpp makes them).
//
// Performance (2-core KVM guest, Xeon family 6 model 207, taskset -c 1,
// bench/switch.cpp): the switch resumes with `pop; jmp *reg`, not `ret`. A
// `ret` into another stack's return address always misses in the return
// stack buffer (it predicts the caller that just called us): 14 ns per
// switch with the MXCSR/x87 save and restore, 12 ns without. The indirect
// `jmp` is predicted from branch history instead: ~2-3 ns. The same `jmp`
// combined with ldmxcsr/fldcw ran at 70-110 ns, which is why the control
// words are no longer switched.
//
// CET: this file deliberately carries no .note.gnu.property, so a binary
// linked with it is never marked shadow-stack compatible (the `call` of one
// context is never matched by a `ret`, and the resumed context's returns
// would not match the shadow stack) nor IBT compatible (the `jmp` targets
// carry no endbr64).

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

        // Switch stacks. The resumed frame has the same layout, so the CFI
        // above stays valid for it.
        movq    %rsp, (%rdi)
        movq    %rsi, %rsp

        popq    %r15
        .cfi_adjust_cfa_offset -8
        .cfi_restore %r15
        popq    %r14
        .cfi_adjust_cfa_offset -8
        .cfi_restore %r14
        popq    %r13
        .cfi_adjust_cfa_offset -8
        .cfi_restore %r13
        popq    %r12
        .cfi_adjust_cfa_offset -8
        .cfi_restore %r12
        popq    %rbx
        .cfi_adjust_cfa_offset -8
        .cfi_restore %rbx
        popq    %rbp
        .cfi_adjust_cfa_offset -8
        .cfi_restore %rbp
        // Return by an indirect jump (see Performance above). rcx is
        // call-clobbered and carries no return value.
        popq    %rcx
        .cfi_adjust_cfa_offset -8
        .cfi_register %rip, %rcx
        jmpq    *%rcx
        .cfi_endproc
        .size   goro_switch_context, .-goro_switch_context

// The push sequence above must produce exactly the layout Fiber::prepare
// writes (switch_frame.hpp).
        .if GORO_FRAME_R15 != 0 || GORO_FRAME_R15 + 8 != GORO_FRAME_R14
        .error "switch frame layout does not match the push order"
        .endif
        .if GORO_FRAME_R14 + 8 != GORO_FRAME_R13 || GORO_FRAME_R13 + 8 != GORO_FRAME_R12
        .error "switch frame layout does not match the push order"
        .endif
        .if GORO_FRAME_R12 + 8 != GORO_FRAME_RBX || GORO_FRAME_RBX + 8 != GORO_FRAME_RBP
        .error "switch frame layout does not match the push order"
        .endif
        .if GORO_FRAME_RBP + 8 != GORO_FRAME_RET || GORO_FRAME_RET + 8 != GORO_FRAME_SIZE
        .error "switch frame layout does not match the push order"
        .endif

// First code a fresh fiber runs: goro_switch_context's final jump lands here
// with r12 = entry, r13 = arg and rsp 16-byte aligned (see Fiber::prepare).
// It sets the ABI-default MXCSR and x87 control word (whatever the thread's
// previous goroutine left behind), then calls goro_fiber_main(entry, arg),
// which never returns. This is the outermost frame of the fiber: the return
// address is marked undefined so unwinders and debuggers stop here.
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
        movq    %r12, %rdi
        movq    %r13, %rsi
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
