/*
 * termtest: the serial driver and the console, driven from the serial line.
 * Boot with `testinit=ns testtask=termtest`; the harness types at each
 * prompt (see termtest_steps below for what it is expected to type). Starts
 * the ns16550 driver and the console as boot modules, then checks: a
 * non-blocking read with nothing typed, a cooked line, backspace, Ctrl-D,
 * raw mode, Ctrl-C killing the foreground task, and reads failing with EIO
 * (not hanging) once the driver is gone. Exits 0 when all passed.
 *
 * `termtest --victim` is the foreground task Ctrl-C kills: it only sleeps.
 */
#include <abi/chardev.h>
#include <fibril.h>
#include <stdio.h>
#include <string.h>
#include <task.h>
#include <term.h>

#define LINE_SIZE  256
#define JOIN_USEC  10000000
#define RAW_INPUT  "ab\x03z"
#define RAW_LENGTH 4

static async_sess_t *term;
static task_id_t driver_id;
static unsigned failures;

static void check(bool ok, const char *what)
{
	printf("termtest: %s: %s\n", what, ok ? "ok" : "FAILED");
	if (!ok)
		failures++;
}

/** Starts boot module @a cmdline with @a perms and waits until it is ready. */
static errno_t start_server(const char *cmdline, unsigned perms, task_id_t *id)
{
	errno_t rc = task_spawn_module(cmdline, id);
	if (rc == EOK)
		rc = perm_grant(*id, perms);
	if (rc != EOK)
		return rc;
	task_exit_t texit;
	int value;
	rc = task_wait_task_id(*id, TASK_WAIT_RETVAL, &texit, &value);
	if (rc == EOK && (texit.how != 0 || value != 0))
		rc = EPARTY; /* it ended instead */
	return rc;
}

static errno_t prompt(const char *text)
{
	return term_write(term, text, strlen(text));
}

/** Prompts, then reads one cooked line (without its '\n') into @a line. */
static errno_t read_line(const char *text, char *line, size_t *len)
{
	errno_t rc = prompt(text);
	if (rc != EOK)
		return rc;
	rc = term_read(term, line, LINE_SIZE - 1, 0, len);
	if (rc != EOK)
		return rc;
	if (*len > 0 && line[*len - 1] == '\n')
		(*len)--;
	line[*len] = '\0';
	return EOK;
}

static void step_nonblock(void)
{
	char c;
	size_t got;
	errno_t rc = term_read(term, &c, 1, CHARDEV_NONBLOCK, &got);
	check(rc == EAGAIN, "a non-blocking read with nothing typed gives EAGAIN");
}

/** A cooked line; with @a expect (unless NULL) the line must be that. */
static void step_line(const char *text, const char *expect)
{
	char line[LINE_SIZE];
	size_t len;
	errno_t rc = read_line(text, line, &len);
	if (rc != EOK) {
		printf("termtest: read: %s\n", str_error(rc));
		failures++;
		return;
	}
	printf("termtest: got [%s]\n", line);
	if (expect != NULL)
		check(strcmp(line, expect) == 0, "the line is as edited");
}

static void step_end_of_input(void)
{
	char line[LINE_SIZE];
	size_t len = 1;
	errno_t rc = read_line("termtest: press ctrl-d> ", line, &len);
	check(rc == EOK && len == 0, "ctrl-d on an empty line ends input (0 bytes)");
}

/** Reads @a size bytes in as many reads as it takes. */
static errno_t read_exactly(char *buf, size_t size)
{
	for (size_t done = 0; done < size;) {
		size_t got;
		errno_t rc = term_read(term, buf + done, size - done, 0, &got);
		if (rc != EOK)
			return rc;
		done += got;
	}
	return EOK;
}

static void step_raw(void)
{
	unsigned mode = 0;
	errno_t rc = term_set_mode(term, TERM_MODE_RAW);
	if (rc == EOK)
		rc = term_get_mode(term, &mode);
	check(rc == EOK && mode == TERM_MODE_RAW, "raw mode is set");
	char buf[RAW_LENGTH + 1] = {0};
	if (rc == EOK)
		rc = prompt("termtest: raw> ");
	if (rc == EOK)
		rc = read_exactly(buf, RAW_LENGTH);
	printf("termtest: raw got %02x %02x %02x %02x\n", (uint8_t) buf[0],
	    (uint8_t) buf[1], (uint8_t) buf[2], (uint8_t) buf[3]);
	check(rc == EOK && memcmp(buf, RAW_INPUT, RAW_LENGTH) == 0,
	    "raw mode gives the bytes as typed, ctrl-c included");
	check(term_set_mode(term, TERM_MODE_COOKED) == EOK, "cooked mode is back");
	check(term_set_mode(term, 7) == EINVAL, "an unknown mode is refused");
}

static void step_interrupt(void)
{
	task_id_t victim;
	errno_t rc = task_spawn_module("termtest --victim", &victim);
	if (rc == EOK)
		rc = term_set_foreground(term, victim);
	if (rc == EOK)
		rc = prompt("termtest: press ctrl-c> ");
	task_exit_t texit = {0};
	if (rc == EOK)
		rc = task_join(victim, &texit, JOIN_USEC);
	check(rc == EOK && texit.how == TASK_EXIT_KILLED,
	    "ctrl-c kills the foreground task");
	check(term_set_foreground(term, 0) == EOK, "the foreground is cleared");
}

static void step_driver_death(void)
{
	errno_t rc = task_kill(driver_id);
	task_exit_t texit;
	if (rc == EOK)
		rc = task_join(driver_id, &texit, JOIN_USEC);
	check(rc == EOK, "the driver is killed");
	char c;
	size_t got;
	rc = term_read(term, &c, 1, 0, &got);
	check(rc == EIO, "a read after the driver died fails with EIO");
	rc = term_write(term, "x", 1);
	check(rc == EIO, "a write after the driver died fails with EIO");
}

static _Noreturn void victim_main(void)
{
	for (;;)
		fibril_usleep(1000000);
}

/** The steps, each with what the harness types at its prompt. */
static void termtest_steps(void)
{
	step_nonblock();
	step_line("termtest: type a line> ", NULL);		  /* "hello world\r" */
	step_line("termtest: type hello with a typo> ", "hello"); /* "helx\x7flo\r" */
	step_end_of_input();					  /* "\x04" */
	step_raw();						  /* "ab\x03z" */
	step_interrupt();					  /* "\x03" */
	step_driver_death();
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--victim") == 0)
		victim_main();
	task_id_t console_id;
	errno_t rc = start_server("ns16550", PERM_IO | PERM_IRQ, &driver_id);
	if (rc == EOK)
		rc = start_server("console", PERM_TASK, &console_id);
	if (rc == EOK)
		rc = term_open(&term);
	if (rc != EOK) {
		printf("termtest: cannot set up the terminal: %s\n", str_error(rc));
		return 1;
	}
	termtest_steps();
	printf("termtest: %u failures\n", failures);
	return failures == 0 ? 0 : 1;
}
