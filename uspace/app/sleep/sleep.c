/*
 * sleep: waits SECONDS, which may have a fraction ("0.5", down to
 * microseconds).
 */
#include <fibril.h>
#include <getopt.h>

#define USAGE	     "SECONDS"
#define USEC_PER_SEC 1000000ull
#define SECONDS_MAX  (1ull << 32)

/** Parses "N" or "N.F" into microseconds; EINVAL unless it is one. */
static errno_t parse_seconds(const char *text, uint64_t *usec)
{
	uint64_t whole = 0;
	const char *p = text;
	for (; *p >= '0' && *p <= '9' && whole < SECONDS_MAX; p++)
		whole = whole * 10 + (uint64_t) (*p - '0');
	if (p == text || whole >= SECONDS_MAX)
		return EINVAL;
	uint64_t fraction = 0;
	uint64_t scale = USEC_PER_SEC;
	if (*p == '.') {
		for (p++; *p >= '0' && *p <= '9'; p++) {
			scale /= 10;
			fraction += (uint64_t) (*p - '0') * scale;
		}
	}
	if (*p != '\0')
		return EINVAL;
	*usec = whole * USEC_PER_SEC + fraction;
	return EOK;
}

int main(int argc, char *argv[])
{
	if (cmd_help(argc, argv, USAGE))
		return CMD_EXIT_OK;
	if (getopt(argc, argv, "") != -1)
		return CMD_EXIT_USAGE;
	if (argc - optind != 1)
		return cmd_usage_error(argv[0], USAGE);
	uint64_t usec;
	errno_t rc = parse_seconds(argv[optind], &usec);
	if (rc != EOK)
		return cmd_error(argv[0], argv[optind], rc);
	if (usec > 0)
		fibril_usleep(usec);
	return CMD_EXIT_OK;
}
