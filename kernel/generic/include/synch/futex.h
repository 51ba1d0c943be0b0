/*
 * Futexes (see synch/futex.c): the kernel half of user-space sleeping locks.
 */
#ifndef KERN_SYNCH_FUTEX_H
#define KERN_SYNCH_FUTEX_H

void futex_init(void);

#endif
