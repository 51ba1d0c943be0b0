/*
 * Task, thread and address-space definitions shared by kernel and userspace.
 */
#ifndef ABI_PROC_H
#define ABI_PROC_H

#include <stdint.h>

/* Address-space area flags. An area is never writable and executable at once. */
#define AS_AREA_READ	  0x01
#define AS_AREA_WRITE	  0x02
#define AS_AREA_EXEC	  0x04
#define AS_AREA_CACHEABLE 0x08
/* Commit no memory for the area (docs/kernel.md, "Address spaces"): creating
 * and growing it cannot fail for want of memory, but a first touch of a page
 * can, which stops the task. For stacks, which stay sparse. Without it an
 * area's memory is committed when it is created or grown (ENOMEM). */
#define AS_AREA_NORESERVE 0x10

/* Pass as *base to SYS_AS_AREA_CREATE to let the kernel choose the address. */
#define AS_AREA_ANY ((uintptr_t) -1)

/* SYS_DMAMEM_MAP flags; the largest block it hands out is DMAMEM_MAX bytes. */
#define DMAMEM_BELOW_4G 0x01 /* every byte below 4 GiB (32-bit DMA engines) */
#define DMAMEM_MAX	(4u << 20)

/* Lowest address of any user mapping: page 0 and its neighbours stay unmapped. */
#define USER_ADDRESS_MIN 0x10000

typedef struct {
	uintptr_t base;
	uint64_t size;
	unsigned flags;
} as_area_info_t;

/* Permissions a task holds; a task may grant only what it has. */
#define PERM_PHYSMEM 0x01 /* map physical memory */
#define PERM_IO	     0x02 /* access I/O ports */
#define PERM_IRQ     0x04 /* subscribe to IRQs */
#define PERM_TASK    0x08 /* spawn boot modules, kill other tasks */
#define PERM_IPCLOG  0x10 /* control the IPC log */
#define PERM_DEBUG   0x20 /* debug any task (without it: only one's children) */
#define PERM_NET     0x40 /* change the network configuration (netsrv checks it) */
#define PERM_ALL     0x7f

/*
 * Quotas: what one task may hold at once. Exceeding a limit gives ELIMIT to
 * that task alone. A new task inherits its creator's limits, the task limit
 * halved (so no line of descendants can take all of an ancestor's); the
 * creator, or a task with PERM_TASK, may lower them (SYS_QUOTA_SET), never
 * raise them above its own. A limit of 0 refuses every new use.
 */
#define QUOTA_TASKS   0 /* living tasks it created, and theirs, loader tasks included */
#define QUOTA_THREADS 1 /* its threads */
#define QUOTA_CAPS    2 /* its capabilities other than calls (phones, IRQs) */
#define QUOTA_MEMORY  3 /* pages committed to its own anonymous memory areas */
#define QUOTA_CALLS \
	4 /* calls it sent that are not answered yet (the
			   synchronous fast path excepted: a thread waits) */
#define QUOTA_COUNT	5
#define QUOTA_UNLIMITED UINT64_MAX

/* The limits the kernel's first tasks start with. */
#define QUOTA_DEFAULT_TASKS   1024
#define QUOTA_DEFAULT_THREADS 1024
#define QUOTA_DEFAULT_CAPS    16384
#define QUOTA_DEFAULT_CALLS   4096

typedef struct {
	uint64_t limit[QUOTA_COUNT];
	uint64_t used[QUOTA_COUNT];
} quota_info_t;

/* How a task ended. */
typedef enum {
	TASK_EXIT_NORMAL = 1, /* called task_exit (status valid) */
	TASK_EXIT_KILLED = 2, /* killed by another task */
	TASK_EXIT_FAULT = 3,  /* killed by the kernel after a fault */
} task_exit_how_t;

/* TASK_EXIT_FAULT: the status says which fault: a CPU exception vector or
 * TASK_FAULT_NO_MEMORY (a page the task touched could not be provided). */
#define TASK_FAULT_DIVIDE	  0
#define TASK_FAULT_INVALID_OPCODE 6
#define TASK_FAULT_GENERAL	  13
#define TASK_FAULT_PAGE		  14
#define TASK_FAULT_NO_MEMORY	  (-2)

typedef struct {
	int how;	      /* task_exit_how_t */
	int status;	      /* exit status (NORMAL) or fault (FAULT) */
	uintptr_t fault_addr; /* TASK_EXIT_FAULT: the faulting address */
	uintptr_t fault_ip;
} task_exit_t;

/* task_info_t.flags. ESSENTIAL: the system cannot run without the task (the
 * boot's init= tasks: the naming service, the VFS, the root file system and
 * init); when it ends, the kernel says so and reboots the machine. */
#define TASK_FLAG_ESSENTIAL 1u

/** What SYS_TASK_INFO tells about a task (for ps, top and the IPC log). */
typedef struct {
	uint64_t id;
	uint64_t parent_id; /* 0: none */
	char name[32];
	uint32_t threads;
	uint32_t perms;
	uint32_t zombie; /* ended, waiting to be collected */
	uint32_t flags;	 /* TASK_FLAG_* */
	uint64_t resident_pages;
	uint64_t calls_sent;
	uint64_t calls_received;
	uint64_t answers_sent;
	uint64_t answers_received;
	uint64_t ticks; /* CPU ticks of its threads */
	/* CPU time of all its threads, ended ones too: cycle counts (convert
	 * with SYS_CLOCK_PARAMS, abi/clock.h) and how many of its ticks found
	 * it in user mode (the rest: in the kernel on its behalf). */
	uint64_t cycles;
	uint64_t user_ticks;
} task_info_t;

/* thread_info_t.state */
#define THREAD_INFO_NEW	    0 /* made, not started */
#define THREAD_INFO_READY   1 /* queued for its CPU */
#define THREAD_INFO_RUNNING 2
#define THREAD_INFO_BLOCKED 3 /* asleep: IPC, futex, sleep, join */
#define THREAD_INFO_EXITED  4 /* ended, not yet destroyed */

/* thread_info_t.flags */
#define THREAD_INFO_IDLE 1u /* a CPU's idle thread: its time is that CPU's idle time */

/* The most threads SYS_THREAD_INFO reports in one call. */
#define THREAD_INFO_MAX 4096

/** What SYS_THREAD_INFO tells about one thread (for top and ps). The CPU
 *  time is charged at every switch and every tick: at most a tick old,
 *  never going backwards. */
typedef struct {
	uint64_t id;
	uint64_t task_id;
	char name[32];
	uint32_t state;	     /* THREAD_INFO_* */
	uint32_t cpu;	     /* where it runs or is queued (its home CPU) */
	uint32_t priority;   /* 0 highest */
	uint32_t flags;	     /* THREAD_INFO_IDLE */
	uint64_t cycles;     /* cycle counts it ran (convert as task_info_t's) */
	uint64_t ticks;	     /* ticks that found it running */
	uint64_t user_ticks; /* of those, in user mode */
	uint64_t switches;   /* times it was switched to */
} thread_info_t;

/** Kernel resource counts (SYS_KERNEL_STATS), for leak checks and `free`. */
typedef struct {
	uint64_t frames_total;
	uint64_t frames_free;
	uint64_t slab_objects;	/* allocated objects in all slab caches */
	uint64_t kmalloc_large; /* kmalloc blocks above the slab sizes */
	uint64_t tasks;
	uint64_t threads;
	uint64_t capabilities;	   /* in all tasks */
	uint64_t frames_committed; /* of the free frames, promised to memory areas */
} kernel_stats_t;

/** One CPU's counters since it started (SYS_CPU_STATS), for `top`, the
 *  scaling benchmark and tests of where threads run. */
typedef struct {
	uint64_t busy_ticks;	   /* ticks that found a thread running */
	uint64_t idle_ticks;	   /* ticks that found the CPU idle */
	uint64_t idle_cycles;	   /* cycle counts its idle thread ran */
	uint64_t interrupts;	   /* device IRQs and ticks taken */
	uint64_t ipis;		   /* inter-processor interrupts received */
	uint64_t context_switches; /* hand-offs included */
	uint64_t steals;	   /* threads it took off another CPU's queue */
	uint64_t pulls;		   /* partners it woke and took from another CPU */
} cpu_stats_t;

#define THREAD_NAME_LEN_MAX 31
#define TASK_NAME_LEN_MAX   31
#define TASK_CMDLINE_MAX    256

#endif
