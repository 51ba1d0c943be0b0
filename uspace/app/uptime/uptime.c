/*
 * uptime: the time since boot (the monotonic clock) as H:MM:SS and in
 * seconds.
 */
#include <getopt.h>
#include <stdio.h>
#include <time.h>

#define USAGE	   ""
#define NS_PER_SEC 1000000000ull

int main(int argc, char *argv[])
{
	if (cmd_help(argc, argv, USAGE))
		return CMD_EXIT_OK;
	if (getopt(argc, argv, "") != -1)
		return CMD_EXIT_USAGE;
	uint64_t ns = clock_ns();
	uint64_t sec = ns / NS_PER_SEC;
	printf("up %llu:%02llu:%02llu (%llu.%03llu seconds)\n",
	    (unsigned long long) (sec / 3600), (unsigned long long) (sec / 60 % 60),
	    (unsigned long long) (sec % 60), (unsigned long long) sec,
	    (unsigned long long) (ns % NS_PER_SEC / 1000000));
	return CMD_EXIT_OK;
}
