/*
 * init [--root ARCHIVE] [CONFIG]: starts the system's programs in order from
 * a configuration file (/cfg/init.conf by default; format in
 * boot/cfg/init.conf), mounts what it says, waits for each program as it
 * says, logs every step, and restarts the programs marked restartable when
 * they end. The kernel starts init after the naming service, the VFS and
 * tmpfs; with --root, init first mounts the root file system: a read-only
 * tmpfs filled from the boot module ARCHIVE (a cpio archive). Without a
 * VFS, configuration and programs come from the boot modules.
 *
 * A restartable program that keeps ending within RESTART_QUICK_USEC of its
 * start RESTART_QUICK_MAX times in a row is given up on.
 *
 * Restarts keep the configuration's order, which is the order of
 * dependence: a program is started again only once every restartable
 * program above it is up again (ready, for a `ready` line), so a shell whose
 * console died waits for the new console. What a server had (mounts, its
 * location-service entries) it gets back from the VFS and libc, not from
 * init.
 */
#include <async.h>
#include <fibril.h>
#include <fibril_synch.h>
#include <common/adt/list.h>
#include <fileload.h>
#include <loc.h>
#include <vfs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <task.h>
#include <time.h>
#include <getopt.h>
#include "init.h"

#define USAGE "[--root ARCHIVE] [CONFIG] (the first program; the kernel starts it)"
/* First words of its own modes (children it starts, ...). */
static const char *const own_words[] = {"--root", NULL};

#define DEFAULT_CONFIG	   "/cfg/init.conf"
#define RESTART_QUICK_USEC 1000000
#define RESTART_QUICK_MAX  5

/* The restartable programs in the configuration's order, and their up
 * states; a change is broadcast on keepers_cv. */
static FIBRIL_MUTEX_INITIALIZE(keepers_lock);
static FIBRIL_CONDVAR_INITIALIZE(keepers_cv);
static list_t kept = LIST_INITIALIZER(kept);

/** Splits @a line in place into words (spaces separate; "..." keeps them);
 *  their count, or -1 if there are too many or a quote is not closed. */
static int split_words(char *line, const char *words[], int max)
{
	int n = 0;
	char *p = line;
	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0' || *p == '#')
			return n;
		if (n == max)
			return -1;
		bool quoted = *p == '"';
		p += quoted;
		words[n++] = p;
		while (*p != '\0' && (quoted ? *p != '"' : (*p != ' ' && *p != '\t')))
			p++;
		if (quoted && *p != '"')
			return -1;
		if (*p != '\0')
			*p++ = '\0';
	}
}

/** The PERM_* bits of "perm=io,irq,..." in @a word; EINVAL for a name
 *  that is none. */
static errno_t parse_perms(const char *word, unsigned *perms)
{
	static const struct {
		const char *name;
		unsigned bit;
	} names[] = {{"physmem", PERM_PHYSMEM}, {"io", PERM_IO}, {"irq", PERM_IRQ},
	    {"task", PERM_TASK}, {"ipclog", PERM_IPCLOG}, {"debug", PERM_DEBUG},
	    {"net", PERM_NET}};
	*perms = 0;
	for (const char *p = word + strlen("perm="); *p != '\0';) {
		size_t len = strcspn(p, ",");
		size_t i = 0;
		while (i < sizeof(names) / sizeof(names[0]) &&
		    (strlen(names[i].name) != len || strncmp(p, names[i].name, len) != 0))
			i++;
		if (i == sizeof(names) / sizeof(names[0]))
			return EINVAL;
		*perms |= names[i].bit;
		p += len + (p[len] == ',');
	}
	return EOK;
}

/** Fills @a e from the words of one configuration line. */
static errno_t parse_entry(const char *words[], int n, entry_t *e)
{
	if (n < 3)
		return EINVAL;
	memset(e, 0, sizeof(*e));
	if (strcmp(words[0], "ready") == 0)
		e->wait = WAIT_READY;
	else if (strcmp(words[0], "exit") == 0)
		e->wait = WAIT_EXIT;
	else if (strcmp(words[0], "none") == 0)
		e->wait = WAIT_NONE;
	else if (strncmp(words[0], "demand=", 7) == 0) {
		e->wait = WAIT_DEMAND;
		e->service = service_id_from_name(words[0] + 7);
		if (e->service == 0)
			return EINVAL;
	} else
		return EINVAL;
	if (strcmp(words[1], "restart") == 0)
		e->restart = true;
	else if (strcmp(words[1], "once") != 0 || e->wait == WAIT_DEMAND)
		return EINVAL; /* a program started on demand is, at each demand */
	int first = 2;
	if (strncmp(words[2], "perm=", 5) == 0) {
		if (parse_perms(words[2], &e->perms) != EOK || n < 4)
			return EINVAL;
		first = 3;
	}
	for (int i = first; i < n; i++)
		e->argv[i - first] = words[i];
	return EOK;
}

void log_end(entry_t *e, const task_exit_t *exit, const char *then)
{
	char how[64];
	printf("init: %s (task %lu) ended: %s%s\n", e->argv[0], (unsigned long) e->id,
	    task_exit_describe(exit, how, sizeof(how)), then);
}

/** The wait for @a e's ready report failed with @a rc: logged; EOK if its
 *  end is still watched (@a exit_wait, in place since before it ran: a
 *  restartable program's keeper then sees it end), else @a rc. The ready
 *  wait fails with ENOENT when the program ended before the wait reached
 *  ns and another task's wait collected that end first (a client that
 *  killed it), so a keeper must not give up on it for that. */
static errno_t ready_wait_failed(entry_t *e, task_wait_t *exit_wait, errno_t rc)
{
	printf("init: cannot wait for %s (task %lu) to be ready: %s%s\n", e->argv[0],
	    (unsigned long) e->id, strerror(rc),
	    exit_wait != NULL ? "; watching for its end" : "");
	return exit_wait != NULL ? EOK : rc;
}

errno_t start(entry_t *e)
{
	task_wait_t *wait = e->restart || e->wait == WAIT_EXIT ? &e->exit_wait : NULL;
	task_spawn_opts_t opts;
	task_spawn_opts_init(&opts);
	opts.perms = e->perms;
	errno_t rc = task_spawn_opts(&e->id, wait, e->argv[0], e->argv, &opts);
	if (rc != EOK) {
		printf("init: cannot start %s: %s\n", e->argv[0], strerror(rc));
		return rc;
	}
	e->started_ns = clock_ns();
	printf("init: started %s (task %lu)\n", e->argv[0], (unsigned long) e->id);
	task_exit_t exit;
	e->ready = false;
	if (e->wait == WAIT_READY || e->wait == WAIT_DEMAND) {
		rc = task_wait_task_id(e->id, TASK_WAIT_RETVAL, &exit, NULL);
		e->ready = rc == EOK && exit.how == 0;
		if (e->ready)
			printf("init: %s (task %lu) is ready\n", e->argv[0],
			    (unsigned long) e->id);
		else if (rc == EOK)
			log_end(e, &exit, " before it was ready");
		else
			rc = ready_wait_failed(e, wait, rc);
	} else if (e->wait == WAIT_EXIT && !e->restart) {
		rc = task_wait(&e->exit_wait, &exit, NULL);
		if (rc == EOK)
			log_end(e, &exit, "");
	}
	return rc;
}

/** Whether @a e, which just ended, should start again. */
static bool may_restart(entry_t *e)
{
	bool quick = clock_ns() - e->started_ns < RESTART_QUICK_USEC * 1000ull;
	e->quick_ends = quick ? e->quick_ends + 1 : 0;
	return e->quick_ends < RESTART_QUICK_MAX;
}

/** Records whether @a e is up (@a up) or given up on (@a given_up). */
void keeper_set(entry_t *e, bool up, bool given_up)
{
	fibril_mutex_lock(&keepers_lock);
	e->up = up;
	e->given_up = given_up;
	fibril_condvar_broadcast(&keepers_cv);
	fibril_mutex_unlock(&keepers_lock);
}

/** Whether @a e's task has ended, though its keeper may not know yet (the
 *  programs below it can notice its end first: a shell whose console
 *  died). */
static bool keeper_task_ended(const entry_t *e)
{
	task_info_t info;
	return task_get_info(e->id, &info) != EOK || info.zombie;
}

/** Whether a program above @a e is down (and may come back); keepers_lock
 *  is held. */
static bool keeper_waits_locked(entry_t *e)
{
	list_foreach (kept, link, entry_t, above) {
		if (above == e)
			return false;
		if (!above->given_up && (!above->up || keeper_task_ended(above)))
			return true;
	}
	return false;
}

/** Waits until every restartable program above @a e is up again. */
static void keeper_wait_above(entry_t *e)
{
	fibril_mutex_lock(&keepers_lock);
	while (keeper_waits_locked(e))
		fibril_condvar_wait(&keepers_cv, &keepers_lock);
	fibril_mutex_unlock(&keepers_lock);
}

bool keeper_wait_up(entry_t *e)
{
	fibril_mutex_lock(&keepers_lock);
	while (!e->given_up && (!e->up || keeper_task_ended(e)))
		fibril_condvar_wait(&keepers_cv, &keepers_lock);
	bool up = !e->given_up;
	fibril_mutex_unlock(&keepers_lock);
	return up;
}

errno_t keep_running(void *arg)
{
	entry_t *e = arg;
	for (;;) {
		task_exit_t exit;
		errno_t rc = task_wait(&e->exit_wait, &exit, NULL);
		keeper_set(e, false, rc != EOK);
		if (rc != EOK) {
			printf("init: lost track of %s: %s\n", e->argv[0], strerror(rc));
			return rc;
		}
		if (!may_restart(e)) {
			keeper_set(e, false, true);
			log_end(e, &exit, "; it keeps failing, not restarting it");
			return EOK;
		}
		log_end(e, &exit, "; restarting it");
		keeper_wait_above(e);
		if (start(e) != EOK) {
			keeper_set(e, false, true);
			return EOK;
		}
		keeper_set(e, true, false);
	}
}

/** Mounts @a type at @a mp with @a opts; logs either way. Waits for the
 *  type to register, unless the mount is made at its first use
 *  (VFS_MOUNT_DEMAND). */
static errno_t mount_fs(
    const char *mp, const char *type, const char *opts, unsigned flags)
{
	bool demand = (flags & VFS_MOUNT_DEMAND) != 0;
	errno_t rc = vfs_mount(mp, type, opts, flags | (demand ? 0 : VFS_MOUNT_WAIT));
	const char *open = opts[0] != '\0' ? " (" : "",
		   *close = opts[0] != '\0' ? ")" : "";
	if (rc != EOK)
		printf("init: cannot mount %s on %s: %s\n", type, mp, strerror(rc));
	else if (demand)
		printf("init: %s on %s%s%s%s is mounted at its first use\n", type, mp,
		    open, opts, close);
	else
		printf("init: mounted %s on %s%s%s%s\n", type, mp, open, opts, close);
	return rc;
}

/** The VFS_MOUNT_* flags of a mount line's last words (`ro`, `demand`,
 *  each at most once); false for any other word. */
static bool mount_line_flags(const char *words[], int n, unsigned *flags)
{
	*flags = 0;
	for (int i = 4; i < n; i++) {
		unsigned f = strcmp(words[i], "ro") == 0 ? VFS_MOUNT_RDONLY
		    : strcmp(words[i], "demand") == 0	 ? VFS_MOUNT_DEMAND
							 : 0;
		if (f == 0 || (*flags & f) != 0)
			return false;
		*flags |= f;
	}
	return true;
}

/** A `mount MOUNTPOINT TYPE OPTIONS [ro] [demand]` line (OPTIONS "-":
 *  none). */
static void mount_line(const char *words[], int n, int number, const char *path)
{
	unsigned flags;
	if (n < 4 || !mount_line_flags(words, n, &flags)) {
		printf("init: %s:%d: bad mount line\n", path, number);
		return;
	}
	const char *opts = strcmp(words[3], "-") == 0 ? "" : words[3];
	mount_fs(words[1], words[2], opts, flags);
}

typedef struct {
	const char *point;
	bool *taken;
} mp_query_t;

static void mount_point_taken(const vfs_mount_info_t *info, void *arg)
{
	mp_query_t *q = arg;
	if (strcmp(info->point, q->point) == 0)
		*q->taken = true;
}

/** One line of a file-system table, `DEVICE MOUNTPOINT TYPE [ro]`: mounted
 *  when the location service has DEVICE (a block device's service name)
 *  and nothing is mounted at MOUNTPOINT yet, else left alone (a boot
 *  without that disk). @a missing holds the device the line before found
 *  missing ("" if none): the same device on the next line (the table tries
 *  a volume as one type and then another) is not looked up nor reported
 *  again; the device this line found missing is left in it. */
static void fstab_entry(char *line, int number, const char *path, char *missing)
{
	const char *words[5];
	int n = split_words(line, words, 5);
	if (n == 0)
		return;
	bool ro = n == 4 && strcmp(words[3], "ro") == 0;
	if (n != 3 && !ro) {
		printf("init: %s:%d: bad line\n", path, number);
		return;
	}
	if (strcmp(words[0], missing) == 0)
		return;
	missing[0] = '\0';
	/* The device first: one question to the location service, where the
	 * mount list is a transfer of every mount (most lines name a disk the
	 * boot has not, and listing the mounts for each cost 0.36 M of the boot). */
	loc_id_t id;
	if (loc_service_get_id(words[0], &id, 0) != EOK) {
		printf(
		    "init: %s: no device %s; %s not mounted\n", path, words[0], words[1]);
		str_lcpy(missing, words[0], LOC_NAME_MAX + 1);
		return;
	}
	bool taken = false;
	DISCARD(best_effort,
	    vfs_mount_each(mount_point_taken, &(mp_query_t){words[1], &taken}));
	if (taken)
		return; /* an earlier line mounted it: the first that works wins */
	mount_fs(words[1], words[2], words[0], ro ? VFS_MOUNT_RDONLY : 0);
}

/** A `fstab PATH` line: mounts what the table at PATH lists. */
static void fstab_line(const char *words[], int n, int number, const char *path)
{
	char *text;
	errno_t rc = n == 2 ? file_load_any(words[1], &text, NULL) : EINVAL;
	if (rc != EOK) {
		printf("init: %s:%d: cannot read the table: %s\n", path, number,
		    strerror(rc));
		return;
	}
	int k = 1;
	char missing[LOC_NAME_MAX + 1] = "";
	for (char *line = text; line != NULL; k++) {
		char *nl = strchr(line, '\n');
		if (nl != NULL)
			*nl = '\0';
		fstab_entry(line, k, words[1], missing);
		line = nl != NULL ? nl + 1 : NULL;
	}
	free(text);
}

/** Does one configuration line; false if init has nothing to keep (the
 *  line was not a restartable program or it could not start). */
static bool run_line(char *line, int number, const char *path)
{
	const char *words[ARGS_MAX + 2];
	int n = split_words(line, words, ARGS_MAX + 2);
	if (n == 0)
		return false;
	if (n > 0 && strcmp(words[0], "mount") == 0) {
		mount_line(words, n, number, path);
		return false;
	}
	if (n > 0 && strcmp(words[0], "fstab") == 0) {
		fstab_line(words, n, number, path);
		return false;
	}
	entry_t *e = malloc(sizeof(*e));
	if (e == NULL || n < 0 || parse_entry(words, n, e) != EOK) {
		printf("init: %s:%d: %s\n", path, number,
		    e == NULL ? "out of memory" : "bad line");
		free(e);
		return false;
	}
	if (e->wait == WAIT_DEMAND) {
		if (demand_add(e) != EOK)
			free(e);
		return false;
	}
	if (start(e) != EOK || !e->restart) {
		free(e);
		return false;
	}
	fid_t f = fibril_create(keep_running, e);
	if (f == 0) {
		printf("init: cannot watch %s: out of memory\n", e->argv[0]);
		return false;
	}
	fibril_mutex_lock(&keepers_lock);
	e->up = true;
	list_append(&e->link, &kept);
	fibril_mutex_unlock(&keepers_lock);
	fibril_add_ready(f);
	return true;
}

/** --root ARCHIVE: the root file system, read-only, from the archive,
 *  whose module tmpfs takes over and keeps as the files' data (nothing else
 *  reads it). */
static errno_t mount_root(const char *archive)
{
	char opts[64];
	snprintf(opts, sizeof(opts), "archive=%s,take", archive);
	return mount_fs("/", "tmpfs", opts, VFS_MOUNT_RDONLY);
}

int main(int argc, char *argv[])
{
	int status;
	if (cmd_check_words(argc, argv, USAGE, own_words, &status))
		return status;
	int arg = 1;
	if (argc > 2 && strcmp(argv[1], "--root") == 0) {
		if (mount_root(argv[2]) != EOK)
			return 1;
		arg = 3;
	}
	const char *path = argc > arg ? argv[arg] : DEFAULT_CONFIG;
	char *text;
	errno_t rc = file_load_any(path, &text, NULL);
	if (rc != EOK) {
		printf("init: cannot read %s: %s\n", path, strerror(rc));
		return 1;
	}
	printf("init: starting the programs of %s\n", path);
	bool keeping = false;
	int number = 1;
	for (char *line = text; line != NULL; number++) {
		char *nl = strchr(line, '\n');
		if (nl != NULL)
			*nl = '\0';
		keeping |= run_line(line, number, path);
		line = nl != NULL ? nl + 1 : NULL;
	}
	keeping |= demand_any();
	printf("init: done%s\n", keeping ? "; keeping restartable programs running" : "");
	if (keeping)
		async_manager(); /* the keepers run on */
	return 0;
}
