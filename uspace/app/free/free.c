/*
 * free: the kernel's memory and object counts (SYS_KERNEL_STATS): total,
 * used and free memory in KiB and how much of the free memory is committed
 * (promised to areas, not yet touched), slab objects, tasks, threads,
 * capabilities.
 */
#include <getopt.h>
#include <stdio.h>
#include <task.h>

#define USAGE	  ""
#define FRAME_KIB 4

int main(int argc, char *argv[])
{
	if (cmd_help(argc, argv, USAGE))
		return CMD_EXIT_OK;
	if (getopt(argc, argv, "") != -1)
		return CMD_EXIT_USAGE;
	kernel_stats_t st;
	errno_t rc = kernel_stats_get(&st);
	if (rc != EOK)
		return cmd_error(argv[0], "kernel stats", rc);
	unsigned long long total = st.frames_total * FRAME_KIB;
	unsigned long long free_kib = st.frames_free * FRAME_KIB;
	unsigned long long committed = st.frames_committed * FRAME_KIB;
	printf("%-12s %10s %10s %10s %10s\n", "", "total", "used", "free", "committed");
	printf("%-12s %10llu %10llu %10llu %10llu\n", "Mem (KiB):", total,
	    total - free_kib, free_kib, committed);
	printf("slab objects %llu, large blocks %llu\n",
	    (unsigned long long) st.slab_objects, (unsigned long long) st.kmalloc_large);
	printf("tasks %llu, threads %llu, capabilities %llu\n",
	    (unsigned long long) st.tasks, (unsigned long long) st.threads,
	    (unsigned long long) st.capabilities);
	return CMD_EXIT_OK;
}
