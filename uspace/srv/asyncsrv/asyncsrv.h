/*
 * The protocol of asyncsrv, the async framework's test server (interface
 * ASYNCSRV_IFACE), and of the callbacks it makes (ASYNCSRV_IFACE_CB).
 * Every method answers EOK unless noted; "->" lists the answer arguments.
 */
#ifndef ASYNCSRV_H
#define ASYNCSRV_H

#include <abi/ipc.h>

#define ASYNCSRV_IFACE	  1
#define ASYNCSRV_IFACE_CB 2

enum {
	ASYNCSRV_M_PING = IPC_FIRST_USER_METHOD, /* (x) -> x + 1 */
	ASYNCSRV_M_ECHO,	   /* (a1..a5) -> (a1 + 1, a2 + 2, ..., a5 + 5) */
	ASYNCSRV_M_SLEEP,	   /* (usec): answers after sleeping that long */
	ASYNCSRV_M_HOLD,	   /* answers when an M_RELEASE comes */
	ASYNCSRV_M_RELEASE,	   /* answers every held call; -> how many */
	ASYNCSRV_M_BEGIN,	   /* (tag) */
	ASYNCSRV_M_END,		   /* (tag): EPARTY unless this connection's previous
				   call was M_BEGIN(tag) */
	ASYNCSRV_M_WRITE,	   /* then a DATA_WRITE: -> (size, checksum) */
	ASYNCSRV_M_READ,	   /* (seed), then a DATA_READ: -> size sent */
	ASYNCSRV_M_SHARE_CHECK,	   /* (seed), then a SHARE_OUT: EOK if the area holds
				   the pattern of seed; writes ASYNCSRV_MARK at its start */
	ASYNCSRV_M_QUIT,	   /* (usec): answers after sleeping, then ends the
				   connection's handler */
	ASYNCSRV_M_STATS,	   /* -> (connections that saw the hang-up, get_call
				   timeouts, connections open) */
	ASYNCSRV_M_TIMEOUT_PROBE,  /* (usec): answers, then waits that long for
				     a call; a timeout counts in M_STATS */
	ASYNCSRV_M_CALLBACK_PING,  /* (x): -> what the client's callback
				     connection answered to M_PING(x) */
	ASYNCSRV_M_CLIENT_BUMP,	   /* -> a counter per client task, incremented */
	ASYNCSRV_M_SINK,	   /* then a DATA_WRITE into a server buffer whose
				     contents are dropped: -> size (benchmarks) */
	ASYNCSRV_M_LABEL,	   /* -> this connection's label */
	ASYNCSRV_M_TAKE_CLONE,	   /* then a CONNECTION_CLONE: -> M_PING(41)'s
				     answer through the cloned connection */
	ASYNCSRV_M_SOURCE,	   /* then a DATA_READ from a server buffer, as
				     it is: -> size (benchmarks) */
	ASYNCSRV_M_EXIT,	   /* (status): answers x + 1, then the task exits
				     with that status at once */
	ASYNCSRV_M_ANSWER_TWICE,   /* (x, how): answers x + 1, then again x + 2
				     as how (ASYNCSRV_TWICE_*) says */
	ASYNCSRV_M_SECOND_ANSWER,  /* -> (the last M_ANSWER_TWICE's first and
				     second answer's results, deferred answers
				     the kernel refused meanwhile) */
	ASYNCSRV_M_ANSWER_SLOW_RO, /* (x): tries SYS_IPC_ANSWER_SLOW with its
				      payload in a read-only area, then
				      answers -> (x + 1, what that try
				      returned) */
	ASYNCSRV_M_RENDEZVOUS,	   /* (k, round < ASYNCSRV_ROUNDS): keeps its
				      runner thread (spinning, yielding only
				      the thread) until k calls of that round
				      are inside at once -> (the CPU it ran
				      on, its thread id); ETIMEOUT after
				      ASYNCSRV_RENDEZVOUS_USEC */
	ASYNCSRV_M_ECHOES,	   /* -> (M_ECHO calls answered, deferred
				      answers the kernel refused) */
	ASYNCSRV_M_ADD_RUNNERS,	   /* (k): k more runner threads, started
				      while calls flow */
};

#define ASYNCSRV_ROUNDS		 16
#define ASYNCSRV_RENDEZVOUS_USEC 60000000

/* How M_ANSWER_TWICE answers a second time. */
#define ASYNCSRV_TWICE_SAME    0 /* the same ipc_call_t */
#define ASYNCSRV_TWICE_COPY    1 /* a copy, while the first answer is deferred */
#define ASYNCSRV_TWICE_FLUSHED 2 /* a copy, after the first answer went out */

/* IPC_M_SHARE_IN (arg = seed): a new area filled with the pattern of seed.
 * IPC_M_STATE_CHANGE_AUTHORIZE (other phone, label): EOK if the kernel named
 *   the other connection by that label, else EPARTY.
 * IPC_M_CONNECT_TO_ME (iface ASYNCSRV_IFACE_CB): the callback for
 * M_CALLBACK_PING. */

#define ASYNCSRV_MARK 0x6d61726b6d61726bull

/** Byte @a i of the pattern of @a seed. */
static inline unsigned char asyncsrv_pattern(unsigned long seed, unsigned long i)
{
	return (unsigned char) (seed * 31 + i * 7 + (i >> 8));
}

/** The checksum M_WRITE answers (FNV-1a). */
static inline unsigned long asyncsrv_checksum(const unsigned char *p, unsigned long n)
{
	unsigned long h = 2166136261u;
	for (unsigned long i = 0; i < n; i++)
		h = ((h ^ p[i]) * 16777619u) & 0xffffffffu;
	return h;
}

#endif
