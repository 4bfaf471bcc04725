/*
 * interrupt.c - the process-wide "the user asked to stop" flag.
 */
#include <signal.h>

#include "vg/interrupt.h"

static volatile sig_atomic_t interrupt_requested;

void vg_interrupt_request(void)
{
    interrupt_requested = 1;
}

bool vg_interrupt_pending(void)
{
    return interrupt_requested != 0;
}
