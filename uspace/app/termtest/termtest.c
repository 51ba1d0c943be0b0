/*
 * termtest: the serial driver and the console, driven from the serial line.
 * Boot with `testinit=ns,vfs,tmpfs testtask=termtest`; the harness types at
 * each prompt (see termtest_steps below for what it is expected to type).
 * Mounts the boot archive as the root, starts the location service, the
 * device manager (which starts the serial driver) and the console, then
 * checks: a non-blocking read with nothing typed, a cooked line,
 * backspace, Ctrl-D, raw mode, keys typed ahead across mode switches and
 * past a reader that was killed, Ctrl-C killing the foreground task, and,
 * once the serial driver is killed, the device manager starting it again,
 * its service back in the location service, the rest of the device tree
 * still running, the console writing to the screen (what it writes shows on
 * the VGA text screen) and reading a line typed on the serial line again.
 * Exits 0 when all passed.
 *
 * `termtest --victim` is the foreground task Ctrl-C kills: it only sleeps.
 * `termtest --reader` waits in a read of the terminal until it is killed.
 */
#include <abi/chardev.h>
#include <abi/display.h>
#include <devman.h>
#include <fibril.h>
#include <loc.h>
#include <stdlib.h>
#include <vfs.h>
#include <stdio.h>
#include <string.h>
#include <task.h>
#include <term.h>
#include <getopt.h>

#define USAGE "(a test program; make test boots it with testtask=termtest)"
/* First words of its own modes (children it starts, ...). */
static const char *const own_words[] = {"--victim", "--reader", NULL};

#define LINE_SIZE      256
#define JOIN_USEC      10000000
#define RAW_INPUT      "ab\x03z"
#define RAW_LENGTH     4
#define SERIAL_SERVICE "devices/\\hw\\com1\\a"
#define POLL_USEC      100000
#define POLL_TRIES     50
#define AFTER_DEATH    "termtest: written after the serial driver died"
/* How long a type-ahead step leaves the harness to type before it switches
 * modes; keys that come later give the same result, so no step depends on
 * it. */
#define TYPE_AHEAD_USEC 2000000

static async_sess_t *term;
static task_id_t driver_id;
static unsigned failures;

static void check(bool ok, const char *what)
{
	printf("termtest: %s: %s\n", what, ok ? "ok" : "FAILED");
	if (!ok)
		failures++;
}

/** The node of the device driven by @a driver; false if there is none. */
static bool find_device(const char *driver, devman_node_info_t *out)
{
	return devman_find_driver(driver, out) == EOK;
}

/** The root, the device manager (and its serial driver) and the console. */
static errno_t set_up(void)
{
	task_id_t id;
	errno_t rc = vfs_mount(
	    "/", "tmpfs", "archive=rootfs", VFS_MOUNT_WAIT | VFS_MOUNT_RDONLY);
	if (rc == EOK)
		rc = task_start_server("/srv/locsrv", 0, &id);
	if (rc == EOK)
		rc = task_start_server(
		    "/srv/devman", PERM_IO | PERM_IRQ | PERM_PHYSMEM | PERM_TASK, &id);
	devman_node_info_t serial;
	if (rc == EOK && !find_device("ns16550", &serial))
		rc = ENOENT;
	if (rc == EOK && serial.state != DEVMAN_DEV_RUNNING)
		rc = EIO;
	if (rc != EOK)
		return rc;
	driver_id = serial.task;
	rc = task_start_server("/srv/console", PERM_TASK, &id);
	if (rc == EOK)
		rc = term_open(&term);
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

/** Keys typed in raw mode that nobody read yet go to the line editor when
 *  the terminal turns cooked: "ty" typed raw, then "pe\r" cooked, makes
 *  the line "type" (before, the read gave the raw "ty" alone, unechoed). */
static void step_raw_then_cooked(void)
{
	errno_t rc = term_set_mode(term, TERM_MODE_RAW);
	if (rc == EOK)
		rc = prompt("termtest: type ahead raw> ");
	fibril_usleep(TYPE_AHEAD_USEC);
	if (rc == EOK)
		rc = term_set_mode(term, TERM_MODE_COOKED);
	char line[LINE_SIZE] = "";
	size_t len = 0;
	if (rc == EOK)
		rc = read_line("termtest: finish the line> ", line, &len);
	printf("termtest: got [%s]\n", line);
	check(rc == EOK && strcmp(line, "type") == 0,
	    "keys typed ahead in raw mode are edited into the cooked line");
}

/** The line being edited when the terminal turns raw is read as raw bytes
 *  (before, it was dropped and the read waited for keys never typed). */
static void step_cooked_then_raw(void)
{
	errno_t rc = prompt("termtest: type ahead cooked> ");
	fibril_usleep(TYPE_AHEAD_USEC);
	if (rc == EOK)
		rc = term_set_mode(term, TERM_MODE_RAW);
	char buf[3] = "";
	if (rc == EOK)
		rc = read_exactly(buf, 2);
	printf("termtest: raw got [%s]\n", buf);
	check(rc == EOK && strcmp(buf, "ab") == 0,
	    "a line typed ahead in cooked mode is read in raw mode");
	check(term_set_mode(term, TERM_MODE_COOKED) == EOK, "cooked mode is back");
}

/** A reader killed while its read waits takes no key: the line typed next
 *  goes to the next reader (before, the dead reader's read took it and it
 *  was lost). */
static void step_dead_reader(void)
{
	task_id_t reader;
	errno_t rc = task_spawn_module("termtest --reader", &reader);
	fibril_usleep(TYPE_AHEAD_USEC); /* its read is waiting by then */
	if (rc == EOK)
		rc = task_kill(reader);
	task_exit_t texit = {0};
	if (rc == EOK)
		rc = task_join(reader, &texit, JOIN_USEC);
	check(rc == EOK && texit.how == TASK_EXIT_KILLED, "the reader is killed");
	char line[LINE_SIZE] = "";
	size_t len = 0;
	if (rc == EOK)
		rc = read_line("termtest: after a dead reader> ", line, &len);
	printf("termtest: got [%s]\n", line);
	check(rc == EOK && strcmp(line, "kept") == 0,
	    "a line typed after a reader was killed reaches the next reader");
}

/** Starts the victim and makes it the terminal's foreground. */
static errno_t victim_start(task_id_t *victim)
{
	errno_t rc = task_spawn_module("termtest --victim", victim);
	if (rc == EOK)
		rc = term_set_foreground(term, *victim);
	return rc;
}

/** Checks that @a victim (when @a rc is EOK) ends killed; clears the
 *  foreground. */
static void victim_check_killed(errno_t rc, task_id_t victim, const char *what)
{
	task_exit_t texit = {0};
	if (rc == EOK)
		rc = task_join(victim, &texit, JOIN_USEC);
	check(rc == EOK && texit.how == TASK_EXIT_KILLED, what);
	check(term_set_foreground(term, 0) == EOK, "the foreground is cleared");
}

static void step_interrupt(void)
{
	task_id_t victim = 0;
	errno_t rc = victim_start(&victim);
	if (rc == EOK)
		rc = prompt("termtest: press ctrl-c> ");
	victim_check_killed(rc, victim, "ctrl-c kills the foreground task");
}

/** A Ctrl-C typed while no task is the foreground (a shell's Enter, its
 *  program not yet started) kills the task made the foreground next; the
 *  line typed after it is read first, so the console has seen the Ctrl-C. */
static void step_interrupt_ahead(void)
{
	char line[LINE_SIZE];
	size_t len;
	task_id_t victim = 0;
	errno_t rc = read_line("termtest: ctrl-c, then go> ", line, &len);
	if (rc == EOK)
		rc = victim_start(&victim);
	victim_check_killed(
	    rc, victim, "a ctrl-c typed before the foreground task exists kills it");
}

/** Whether the first display's screen shows @a text on one of its rows. */
static bool screen_shows(const char *text)
{
	category_id_t cat;
	loc_id_t id;
	size_t count;
	errno_t rc = loc_category_get_id(DISPLAY_CATEGORY, &cat, 0);
	if (rc == EOK)
		rc = loc_category_get_svcs(cat, &id, 1, &count);
	if (rc != EOK || count == 0)
		return false;
	async_sess_t *sess = loc_service_connect(id, CHARDEV_IFACE, &rc);
	if (sess == NULL)
		return false;
	bool found = false;
	async_exch_t *exch = async_exchange_begin(sess);
	for (int row = 0; exch != NULL && row < DISPLAY_ROWS && !found; row++) {
		char line[DISPLAY_COLS + 1];
		size_t got = 0;
		rc = async_req_read(
		    exch, DISPLAY_GET_TEXT, row, 0, line, DISPLAY_COLS, &got, NULL);
		line[rc == EOK ? got : 0] = '\0';
		found = strstr(line, text) != NULL;
	}
	if (exch != NULL)
		async_exchange_end(exch);
	DISCARD(cleanup, async_hangup(sess));
	return found;
}

/** Whether the device of @a driver runs with another task than @a old
 *  within POLL_TRIES polls; its node in *@a out. */
static bool device_restarts(const char *driver, task_id_t old, devman_node_info_t *out)
{
	for (int i = 0; i < POLL_TRIES; i++) {
		if (!find_device(driver, out))
			return false;
		if (out->state == DEVMAN_DEV_RUNNING && out->task != old)
			return true;
		fibril_usleep(POLL_USEC);
	}
	return false;
}

/** The serial driver is killed: the device manager starts it again, its
 *  service comes back and the console takes the new one up (the harness
 *  then types a line on the serial line, step_line after this). */
static void step_driver_restart(void)
{
	errno_t rc = task_kill(driver_id);
	task_exit_t texit;
	if (rc == EOK)
		rc = task_join(driver_id, &texit, JOIN_USEC);
	check(rc == EOK, "the driver is killed");
	devman_node_info_t serial = {0}, root = {0};
	check(device_restarts("ns16550", driver_id, &serial),
	    "the device manager starts the driver again");
	loc_id_t id;
	rc = ENOENT;
	for (int i = 0; i < POLL_TRIES && rc != EOK; i++) {
		rc = loc_service_get_id(SERIAL_SERVICE, &id, 0);
		if (rc != EOK)
			fibril_usleep(POLL_USEC);
	}
	check(rc == EOK, "the driver's service is back in the location service");
	check(find_device("pc", &root) && root.state == DEVMAN_DEV_RUNNING,
	    "the rest of the device tree still runs");
	char c;
	size_t got;
	rc = term_read(term, &c, 1, CHARDEV_NONBLOCK, &got);
	check(rc == EAGAIN, "the console still serves reads");
	rc = term_write(term, AFTER_DEATH "\n", strlen(AFTER_DEATH) + 1);
	bool shown = false;
	for (int i = 0; i < POLL_TRIES && rc == EOK && !shown; i++) {
		shown = screen_shows(AFTER_DEATH);
		if (!shown)
			fibril_usleep(POLL_USEC);
	}
	check(rc == EOK && shown, "what the console writes still reaches the screen");
}

static _Noreturn void victim_main(void)
{
	for (;;)
		fibril_usleep(1000000);
}

/** Waits in a read of the terminal until it is killed (step_dead_reader);
 *  a read that returns is reported, and it waits again. */
static _Noreturn void reader_main(void)
{
	async_sess_t *sess = NULL;
	errno_t rc = term_open(&sess);
	for (;;) {
		char buf[LINE_SIZE];
		size_t got = 0;
		if (rc == EOK)
			rc = term_read(sess, buf, sizeof(buf), 0, &got);
		if (rc != EOK || got > 0)
			printf("termtest: the reader read %zu bytes: %s\n", got,
			    str_error(rc));
		if (rc != EOK)
			fibril_usleep(1000000);
	}
}

/** The steps, each with what the harness types at its prompt. */
static void termtest_steps(void)
{
	step_nonblock();
	step_line("termtest: type a line> ", NULL);		  /* "hello world\r" */
	step_line("termtest: type hello with a typo> ", "hello"); /* "helx\x7flo\r" */
	step_end_of_input();					  /* "\x04" */
	step_raw();						  /* "ab\x03z" */
	step_raw_then_cooked();					  /* "ty", "pe\r" */
	step_cooked_then_raw();					  /* "ab" */
	step_dead_reader();					  /* "kept\r" */
	step_interrupt();					  /* "\x03" */
	step_interrupt_ahead();					  /* "\x03go\r" */
	step_driver_restart();
	step_line("termtest: type after the restart> ", NULL); /* "again\r" */
}

int main(int argc, char **argv)
{
	int status;
	if (cmd_check_words(argc, argv, USAGE, own_words, &status))
		return status;
	if (argc > 1 && strcmp(argv[1], "--victim") == 0)
		victim_main();
	if (argc > 1 && strcmp(argv[1], "--reader") == 0)
		reader_main();
	errno_t rc = set_up();
	if (rc != EOK) {
		printf("termtest: cannot set up the terminal: %s\n", str_error(rc));
		return 1;
	}
	termtest_steps();
	printf("termtest: %u failures\n", failures);
	return failures == 0 ? 0 : 1;
}
