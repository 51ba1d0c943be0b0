/*
 * date: the wall clock (UTC) as YYYY-MM-DD HH:MM:SS UTC, or with -s as
 * seconds since 1970. Fails with EIO when the RTC gave no date at boot.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <time.h>

#define USAGE "[-s]"

int main(int argc, char *argv[])
{
	if (cmd_help(argc, argv, USAGE))
		return CMD_EXIT_OK;
	bool seconds = false;
	int opt;
	while ((opt = getopt(argc, argv, "s")) != -1) {
		if (opt != 's')
			return CMD_EXIT_USAGE;
		seconds = true;
	}
	if (optind != argc)
		return cmd_usage_error(argv[0], USAGE);
	time_t now = time(NULL);
	if (now == -1)
		return cmd_error(argv[0], "reading the wall clock", errno);
	if (seconds) {
		printf("%lld\n", (long long) now);
		return CMD_EXIT_OK;
	}
	struct tm tm;
	char buf[32];
	time_format_iso(gmtime_r(&now, &tm), buf, sizeof(buf));
	printf("%s UTC\n", buf);
	return CMD_EXIT_OK;
}
