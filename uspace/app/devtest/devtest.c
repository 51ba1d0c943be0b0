/*
 * devtest: the device manager and its drivers, in a boot of their own
 * (`testinit=ns,vfs,tmpfs testtask=devtest`). Mounts the boot archive as the
 * root, starts the location service and devman, then checks the device
 * tree, devman's refusals of calls that are not a driver's to make, a
 * driver started by hand for a device that has one, and the death of a
 * driver: devman starts it again and its service comes back, the rest runs
 * on; a driver that keeps dying fails its device and its service goes;
 * the PCI driver's configuration space copies (PCI_GET_CONFIG).
 * devman runs with -w 0 (its deaths count for ever, whatever the time they
 * take on a loaded host).
 */
#include <abi/devman.h>
#include <abi/pci.h>
#include <async.h>
#include <devman.h>
#include <fibril.h>
#include <loc.h>
#include <ns.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <task.h>
#include <testsuite.h>
#include <vfs.h>
#include <getopt.h>

#define USAGE "(a test program; make test boots it with testtask=devtest)"

#define TEST_LIMIT_USEC (120 * 1000 * 1000)
#define STABLE_USEC	(30 * 1000 * 1000)
#define POLL_USEC	100000
#define POLL_TRIES	50
#define KBD_SERVICE	"devices/\\hw\\i8042\\kbd"

/** The node of the device driven by @a driver; false if there is none. */
static bool find_device(const char *driver, devman_node_info_t *out)
{
	return devman_find_driver(driver, out) == EOK;
}

static void test_devman_starts_the_drivers(void)
{
	CHECK_RC(
	    vfs_mount("/", "tmpfs", "archive=rootfs", VFS_MOUNT_WAIT | VFS_MOUNT_RDONLY),
	    EOK);
	CHECK_RC(task_start_server("/srv/locsrv", 0, NULL), EOK);
	static const char *const devman_args[] = {"/srv/devman", "-w", "0", NULL};
	CHECK_RC(devman_start(devman_args), EOK);
	CHECK_RC(devman_wait_stable(STABLE_USEC), EOK);
	static const char *const drivers[] = {"pc", "pci", "ns16550", "i8042", "vga"};
	for (size_t i = 0; i < sizeof(drivers) / sizeof(drivers[0]); i++) {
		devman_node_info_t n;
		CHECK(find_device(drivers[i], &n));
		CHECK(n.state == DEVMAN_DEV_RUNNING && n.task != 0);
	}
}

static void test_tree_is_depth_first(void)
{
	devman_node_info_t *nodes;
	size_t count;
	CHECK_RC(devman_get_tree(&nodes, &count), EOK);
	bool ok = count > 5 && nodes[0].kind == DEVMAN_NODE_DEV && nodes[0].depth == 0 &&
	    strcmp(nodes[0].name, "hw") == 0;
	for (size_t i = 1; i < count && ok; i++) {
		/* Each node's parent comes before it, one level up. */
		bool parent_seen = false;
		for (size_t j = 0; j < i && !parent_seen; j++)
			parent_seen = nodes[j].depth + 1 == nodes[i].depth;
		ok = parent_seen && nodes[i].depth <= nodes[i - 1].depth + 1;
	}
	free(nodes);
	CHECK(ok);
}

/** A session to devman's driver interface, as a driver would make. */
static async_sess_t *driver_session(void)
{
	return service_connect(
	    service_id_from_name(DEVMAN_SERVICE_NAME), DEVMAN_IFACE_DRIVER, 0, NULL);
}

static errno_t driver_req(async_sess_t *sess, sysarg_t method, sysarg_t arg)
{
	async_exch_t *exch = async_exchange_begin(sess);
	if (exch == NULL)
		return ENOMEM;
	errno_t rc = async_req_1_0(exch, method, arg);
	async_exchange_end(exch);
	return rc;
}

static void test_only_the_started_task_attaches(void)
{
	devman_node_info_t root;
	CHECK(find_device("pc", &root));
	async_sess_t *sess = driver_session();
	CHECK(sess != NULL);
	/* Not the task devman started for the device, and already taken. */
	errno_t rc = driver_req(sess, DEVMAN_DRIVER_ATTACH, root.handle);
	DISCARD(cleanup, async_hangup(sess));
	CHECK_RC(rc, EPERM);
	sess = driver_session();
	CHECK(sess != NULL);
	rc = driver_req(sess, DEVMAN_DRIVER_ATTACH, 999999);
	DISCARD(cleanup, async_hangup(sess));
	CHECK_RC(rc, ENOENT);
	sess = driver_session();
	CHECK(sess != NULL);
	rc = driver_req(sess, DEVMAN_FUN_ONLINE, root.handle); /* before attaching */
	DISCARD(cleanup, async_hangup(sess));
	CHECK_RC(rc, EINVAL);
}

static void test_a_driver_started_by_hand_is_refused(void)
{
	devman_node_info_t serial;
	CHECK(find_device("ns16550", &serial));
	char handle[24];
	snprintf(handle, sizeof(handle), "%llu", (unsigned long long) serial.handle);
	const char *args[] = {"/drv/ns16550", "--dev", handle, NULL};
	task_id_t id;
	task_wait_t wait;
	CHECK_RC(task_spawnv(&id, &wait, args[0], args), EOK);
	task_exit_t texit;
	int status;
	CHECK_RC(task_wait(&wait, &texit, &status), EOK);
	CHECK(texit.how == TASK_EXIT_NORMAL && status == 2); /* cannot attach */
	const char *bad[] = {"/drv/ns16550", NULL};
	CHECK_RC(task_spawnv(&id, &wait, bad[0], bad), EOK);
	CHECK_RC(task_wait(&wait, &texit, &status), EOK);
	CHECK(texit.how == TASK_EXIT_NORMAL && status == 1); /* usage */
	CHECK(find_device("ns16550", &serial) && serial.state == DEVMAN_DEV_RUNNING);
}

static void test_clients_get_clear_errors(void)
{
	async_sess_t *sess = service_connect(
	    service_id_from_name(DEVMAN_SERVICE_NAME), DEVMAN_IFACE_CLIENT, 0, NULL);
	CHECK(sess != NULL);
	errno_t stable = driver_req(sess, DEVMAN_WAIT_STABLE, 1000);
	errno_t unknown = driver_req(sess, DEVMAN_FUN_CREATE, 1);
	DISCARD(cleanup, async_hangup(sess));
	CHECK_RC(stable, EOK);
	CHECK_RC(unknown, ENOTSUP);
}

/** Kills @a driver's task and waits until its device is in another state
 *  than RUNNING with that task: its new state in *@a out. */
static bool kill_driver(const char *driver, devman_node_info_t *out)
{
	devman_node_info_t old;
	if (!find_device(driver, &old) || old.state != DEVMAN_DEV_RUNNING ||
	    task_kill(old.task) != EOK)
		return false;
	for (int i = 0; i < POLL_TRIES; i++) {
		fibril_usleep(POLL_USEC);
		if (!find_device(driver, out))
			return false;
		if (out->state != DEVMAN_DEV_RUNNING || out->task != old.task)
			return true;
	}
	return false;
}

/** Whether service @a name is (@a there) or is not in the location
 *  service within POLL_TRIES polls. */
static bool service_becomes(const char *name, bool there)
{
	for (int i = 0; i < POLL_TRIES; i++) {
		loc_id_t id;
		errno_t rc = loc_service_get_id(name, &id, 0);
		if ((rc == EOK) == there)
			return true;
		fibril_usleep(POLL_USEC);
	}
	return false;
}

static void check_the_others_run(void)
{
	static const char *const others[] = {"pc", "pci", "ns16550", "vga"};
	for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++) {
		devman_node_info_t n;
		CHECK(find_device(others[i], &n) && n.state == DEVMAN_DEV_RUNNING);
	}
}

#define PCI_CTL	    "devices/\\hw\\pci0\\ctl"
#define PCI_FNS_MAX 32

/** PCI_GET_CONFIG of bus:dev.fn into @a buf (@a size bytes); *@a got. */
static errno_t pci_config(async_sess_t *sess, unsigned bus, unsigned dev, unsigned fn,
    void *buf, size_t size, size_t *got)
{
	async_exch_t *exch = async_exchange_begin(sess);
	errno_t rc = async_req_read(
	    exch, PCI_GET_CONFIG, bus, dev << 8 | fn, buf, size, got, NULL);
	async_exchange_end(exch);
	return rc;
}

/** Each function's configuration space as the PCI driver copied it: its
 *  ids as PCI_GET_DEVICES says, bus mastering on for devices; a function
 *  that is not there is ENOENT. */
static void test_pci_hands_out_configuration_space(void)
{
	loc_id_t id;
	CHECK_RC(loc_service_get_id(PCI_CTL, &id, 0), EOK);
	errno_t rc;
	async_sess_t *sess = loc_service_connect(id, PCI_IFACE, &rc);
	CHECK(sess != NULL);
	static pci_dev_info_t fns[PCI_FNS_MAX];
	size_t got;
	async_exch_t *exch = async_exchange_begin(sess);
	rc = async_req_read(exch, PCI_GET_DEVICES, 0, 0, fns, sizeof(fns), &got, NULL);
	async_exchange_end(exch);
	CHECK_RC(rc, EOK);
	size_t n = got / sizeof(fns[0]);
	CHECK(n > 0);
	for (size_t i = 0; i < n; i++) {
		uint8_t cfg[PCI_CONFIG_SIZE];
		CHECK_RC(pci_config(sess, fns[i].bus, fns[i].dev, fns[i].fn, cfg,
			     sizeof(cfg), &got),
		    EOK);
		CHECK(got == PCI_CONFIG_SIZE);
		CHECK((cfg[0] | cfg[1] << 8) == fns[i].vendor_id);
		CHECK((cfg[2] | cfg[3] << 8) == fns[i].device_id);
		CHECK(fns[i].header_type != 0 || (cfg[4] & 0x4) != 0); /* bus master */
	}
	uint8_t four[4];
	CHECK_RC(pci_config(sess, fns[0].bus, fns[0].dev, fns[0].fn, four, 4, &got), EOK);
	CHECK(got == 4 && (four[0] | four[1] << 8) == fns[0].vendor_id);
	CHECK_RC(pci_config(sess, 0, 31, 7, four, 4, &got), ENOENT);
	CHECK_RC(pci_config(sess, 255, 0, 0, four, 4, &got), ENOENT);
	DISCARD(cleanup, async_hangup(sess));
}

static void test_a_dead_driver_is_started_again(void)
{
	devman_node_info_t old, n;
	CHECK(find_device("i8042", &old));
	CHECK(service_becomes(KBD_SERVICE, true));
	CHECK(kill_driver("i8042", &n));
	CHECK_RC(devman_wait_stable(STABLE_USEC), EOK);
	CHECK(find_device("i8042", &n));
	CHECK(n.state == DEVMAN_DEV_RUNNING && n.task != 0 && n.task != old.task);
	CHECK(service_becomes(KBD_SERVICE, true));
	check_the_others_run();
}

/** The driver has died once (above): DRIVER_RESTARTS_MAX - 1 more deaths
 *  are restarted, the next fails the device. */
static void test_a_driver_that_keeps_dying_fails_only_its_device(void)
{
	devman_node_info_t n;
	for (int death = 2; death <= 3; death++) {
		CHECK(kill_driver("i8042", &n));
		CHECK_RC(devman_wait_stable(STABLE_USEC), EOK);
		CHECK(find_device("i8042", &n) && n.state == DEVMAN_DEV_RUNNING);
	}
	CHECK(kill_driver("i8042", &n));
	CHECK(n.state == DEVMAN_DEV_FAILED && n.task == 0);
	CHECK_RC(devman_wait_stable(STABLE_USEC), EOK);
	CHECK(find_device("i8042", &n) && n.state == DEVMAN_DEV_FAILED);
	CHECK(service_becomes(KBD_SERVICE, false));
	check_the_others_run();
}

int main(int argc, char *argv[])
{
	int status;
	if (cmd_check_words(argc, argv, USAGE, NULL, &status))
		return status;
	test_suite_start("devtest");
	if (test_suite_limit(TEST_LIMIT_USEC) != EOK) {
		printf("devtest: out of memory\n");
		return 1;
	}
	RUN(test_devman_starts_the_drivers);
	RUN(test_tree_is_depth_first);
	RUN(test_only_the_started_task_attaches);
	RUN(test_a_driver_started_by_hand_is_refused);
	RUN(test_clients_get_clear_errors);
	RUN(test_pci_hands_out_configuration_space);
	RUN(test_a_dead_driver_is_started_again);
	RUN(test_a_driver_that_keeps_dying_fails_only_its_device);
	return test_suite_end();
}
