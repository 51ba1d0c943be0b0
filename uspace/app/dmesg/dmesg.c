/*
 * dmesg: print the system log (the log service, uspace/srv/logger): the
 * kernel's messages since boot and the lines programs sent.
 *
 *   dmesg            print the log as it is now
 *   dmesg -f         print it, then keep printing new text (Ctrl-C ends)
 *   dmesg -m TEXT    add TEXT to the log (as a line of "dmesg")
 *
 * What a program prints on the kernel console lands in the kernel log, so
 * printing the log there would copy it into itself (and, when following,
 * without end): when stdout is the kernel console, dmesg writes to the
 * terminal instead. A redirected stdout (a file, a pipe) gets the text.
 *
 * Exit status: 0 done, 1 the log service failed or is not running, 2 usage.
 */
#include <fibril.h>
#include <getopt.h>
#include <log.h>
#include <stdbool.h>
#include <stdio.h>
#include <term.h>

#define USAGE	    "[-f] [-m TEXT]"
#define CHUNK	    4096
#define FOLLOW_USEC 200000

static char chunk[CHUNK];
static async_sess_t *term; /* where the text goes; NULL: stdout */

static errno_t output(const char *text, size_t len)
{
	if (term != NULL)
		return term_write(term, text, len);
	return fwrite(text, 1, len, stdout) == len ? EOK : EIO;
}

/** Prints the log from *@a cursor up to @a end (or, with UINT64_MAX, to
 *  whatever end it has); advances the cursor. Text lost to the ring's
 *  wrapping is reported when @a report_missed. */
static errno_t print_until(uint64_t *cursor, uint64_t end, bool report_missed)
{
	while (*cursor < end) {
		log_read_info_t info;
		size_t want = end - *cursor < CHUNK ? (size_t) (end - *cursor) : CHUNK;
		errno_t rc = log_read(cursor, chunk, want, &info);
		if (rc != EOK)
			return rc;
		if (info.missed > 0 && report_missed)
			fprintf(stderr, "dmesg: %llu bytes of the log were lost\n",
			    (unsigned long long) info.missed);
		if (info.bytes == 0)
			return EOK;
		rc = output(chunk, info.bytes);
		if (rc != EOK)
			return rc;
	}
	return EOK;
}

/** The log's end now (bytes ever stored). */
static errno_t log_end(uint64_t *end)
{
	uint64_t cursor = UINT64_MAX;
	log_read_info_t info;
	errno_t rc = log_read(&cursor, chunk, 1, &info);
	*end = info.end;
	return rc;
}

static int report(const char *argv0, errno_t rc)
{
	if (rc == ENOENT) {
		fprintf(stderr, "%s: the log service is not running\n", cmd_name(argv0));
		return CMD_EXIT_ERROR;
	}
	return cmd_error(argv0, "log", rc);
}

/** Prints the log, then (with @a follow) keeps printing what comes. */
static int show(const char *argv0, bool follow)
{
	uint64_t cursor = 0, end;
	errno_t rc = log_end(&end);
	if (rc == EOK && fileno(stdout) < 0)
		rc = term_open(&term);
	if (rc == EOK)
		rc = print_until(&cursor, end, false);
	while (rc == EOK && follow) {
		fflush(stdout);
		fibril_usleep(FOLLOW_USEC);
		rc = print_until(&cursor, UINT64_MAX, true);
	}
	fflush(stdout);
	return rc == EOK ? CMD_EXIT_OK : report(argv0, rc);
}

int main(int argc, char *argv[])
{
	if (cmd_help(argc, argv, USAGE))
		return CMD_EXIT_OK;
	bool follow = false;
	const char *message = NULL;
	int c;
	while ((c = getopt(argc, argv, "fm:")) != -1) {
		if (c == 'f')
			follow = true;
		else if (c == 'm')
			message = optarg;
		else
			return CMD_EXIT_USAGE;
	}
	if (optind != argc || (follow && message != NULL))
		return cmd_usage_error(argv[0], USAGE);
	if (message == NULL)
		return show(argv[0], follow);
	errno_t rc = log_write(message);
	return rc == EOK ? CMD_EXIT_OK : report(argv[0], rc);
}
