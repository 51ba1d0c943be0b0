/*
 * pci: the PCI bus driver (device "pc/pci-host", a child of the PC
 * platform driver with the configuration ports 0xCF8..0xCFF).
 *
 * dev_add enumerates the bus once, adds an inner function "BB:DD.F" per
 * PCI function (match ids by vendor/device and by class, its BARs,
 * interrupt line and, for VGA, the legacy ranges as resources) and exposes
 * "ctl" in category "pci", which answers PCI_GET_DEVICES and
 * PCI_GET_CONFIG (abi/pci.h). Before a function's child goes online its
 * bus mastering is turned on and its configuration space copied
 * (`configs`). The list and the copies are written before "ctl" goes
 * online and only read after, so client fibrils share them without a lock.
 * Configuration space is touched by dev_add's fibril until "bus" goes
 * online, and after that only under cfg_lock, by devman's bus-control calls
 * (abi/devman.h): bus mastering goes off when a function's driver dies and
 * on again when the restarted driver is ready, so a device set up by a dead
 * driver cannot DMA into memory that task no longer owns.
 */
#include "pci.h"
#include <abi/devman.h>
#include <async.h>
#include <ddi.h>
#include <drv.h>
#include <fibril_synch.h>
#include <ipc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <task.h>

#define MECH1_PORTS 8

static pci_list_t devices;
/* configs[i]: the configuration space of devices.items[i]. */
static uint32_t (*configs)[PCI_CONFIG_SIZE / 4];
/* fun_handles[i]: devman's handle of the inner function of devices.items[i]
 * (0: not added). Written before "bus" goes online. */
static uint64_t *fun_handles;
static pci_cfg_t bus_cfg;
static FIBRIL_MUTEX_INITIALIZE(cfg_lock);

/** PCI_GET_DEVICES: as many whole records as the client's read takes,
 *  answered with the number found. */
static void pci_get_devices(ipc_call_t *call)
{
	ipc_call_t rcall;
	size_t size;
	if (!async_data_read_receive_for(call, &rcall, &size))
		return;
	if (size > IPC_DATA_MAX)
		size = IPC_DATA_MAX;
	size_t fit = size / sizeof(pci_dev_info_t);
	if (fit > devices.count)
		fit = devices.count;
	errno_t rc = async_data_read_finalize(
	    &rcall, devices.items, fit * sizeof(pci_dev_info_t));
	DISCARD(answer, async_answer_1(call, rc, devices.count));
}

/** Whether function @a bus:@a dev.@a fn was found; its index in *@a i. */
static bool find_function(sysarg_t bus, sysarg_t dev, sysarg_t fn, size_t *i)
{
	for (*i = 0; *i < devices.count; (*i)++) {
		const pci_dev_info_t *d = &devices.items[*i];
		if (d->bus == bus && d->dev == dev && d->fn == fn)
			return true;
	}
	return false;
}

/** PCI_GET_CONFIG: the function's configuration space as copied at start,
 *  up to what the client's read takes. */
static void pci_get_config(ipc_call_t *call)
{
	sysarg_t devfn = ipc_get_arg2(call);
	size_t i;
	bool found = find_function(ipc_get_arg1(call), devfn >> 8, devfn & 0xff, &i);
	ipc_call_t rcall;
	size_t size;
	if (!async_data_read_receive_for(call, &rcall, &size))
		return;
	if (!found || configs == NULL) {
		DISCARD(answer, async_answer_0(&rcall, ENOENT));
		DISCARD(answer, async_answer_0(call, ENOENT));
		return;
	}
	if (size > PCI_CONFIG_SIZE)
		size = PCI_CONFIG_SIZE;
	errno_t rc = async_data_read_finalize(&rcall, configs[i], size);
	DISCARD(answer, async_answer_0(call, rc));
}

/** One call on the ctl function's connection. */
static void pci_ctl_call(ipc_call_t *call, void *arg)
{
	if (ipc_get_imethod(call) == PCI_GET_DEVICES)
		pci_get_devices(call);
	else if (ipc_get_imethod(call) == PCI_GET_CONFIG)
		pci_get_config(call);
	else
		DISCARD(answer, async_answer_0(call, ENOTSUP));
}

static void pci_ctl_connection(ipc_call_t *icall, void *arg)
{
	async_serve(icall, pci_ctl_call, arg);
}

static errno_t add_match_ids(drv_fun_t *fun, const pci_dev_info_t *d)
{
	char id[PCI_MATCH_ID_SIZE];
	pci_match_id_device(d, id, sizeof(id));
	errno_t rc = drv_fun_add_match_id(fun, id, PCI_MATCH_SCORE_DEVICE);
	if (rc != EOK)
		return rc;
	pci_match_id_class(d, id, sizeof(id));
	return drv_fun_add_match_id(fun, id, PCI_MATCH_SCORE_CLASS);
}

static errno_t add_resources(drv_fun_t *fun, const pci_dev_info_t *d)
{
	hw_resource_t res[DEVMAN_RESOURCES];
	size_t count;
	errno_t rc = pci_resources(d, res, DEVMAN_RESOURCES, &count);
	for (size_t i = 0; i < count && rc == EOK; i++)
		rc = drv_fun_add_resource(fun, res[i].kind, res[i].base, res[i].size);
	return rc;
}

/** The inner function of PCI function @a d, online. */
static errno_t add_child(drv_dev_t *dev, const pci_dev_info_t *d, uint64_t *handle)
{
	char name[PCI_FUN_NAME_SIZE];
	pci_fun_name(d, name, sizeof(name));
	errno_t rc;
	drv_fun_t *fun = drv_fun_create(dev, FUN_INNER, name, &rc);
	if (fun == NULL)
		return rc;
	*handle = drv_fun_handle(fun);
	rc = add_match_ids(fun, d);
	if (rc == EOK)
		rc = add_resources(fun, d);
	if (rc == EOK)
		rc = drv_fun_online(fun, NULL);
	return rc;
}

/** Turns on bus mastering of device function @a d (its driver's DMA) and
 *  copies its configuration space into configs[@a i]. */
static void hand_over(const pci_cfg_t *cfg, const pci_dev_info_t *d, size_t i)
{
	if (d->header_type == PCI_HEADER_DEVICE) {
		uint32_t command = cfg->read(
		    cfg->arg, d->bus, d->dev, d->fn, PCI_REG_COMMAND);
		/* The status half is written as zeros: none of its
		 * write-one-to-clear bits changes. */
		cfg->write(cfg->arg, d->bus, d->dev, d->fn, PCI_REG_COMMAND,
		    (command & 0xffff) | PCI_COMMAND_MASTER);
	}
	for (unsigned r = 0; configs != NULL && r < PCI_CONFIG_SIZE / 4; r++)
		configs[i][r] = cfg->read(
		    cfg->arg, d->bus, d->dev, d->fn, (uint8_t) (4 * r));
}

/** One function that cannot be added (too many resources, devman full)
 *  is reported and left out; the rest of the bus still works. Without
 *  memory for the copies of configuration space, PCI_GET_CONFIG is ENOENT. */
static void add_children(drv_dev_t *dev, const pci_cfg_t *cfg)
{
	configs = calloc(devices.count ? devices.count : 1, sizeof(*configs));
	fun_handles = calloc(devices.count ? devices.count : 1, sizeof(*fun_handles));
	uint64_t unused;
	for (size_t i = 0; i < devices.count; i++) {
		const pci_dev_info_t *d = &devices.items[i];
		hand_over(cfg, d, i);
		errno_t rc = add_child(
		    dev, d, fun_handles != NULL ? &fun_handles[i] : &unused);
		if (rc != EOK) {
			char name[PCI_FUN_NAME_SIZE];
			pci_fun_name(d, name, sizeof(name));
			printf("%s: cannot add %s: %s\n", NAME, name, strerror(rc));
		}
	}
}

/** Bus mastering of function @a d on (@a on) or off; cfg_lock held. */
static void set_master(const pci_dev_info_t *d, bool on)
{
	uint32_t command = bus_cfg.read(
	    bus_cfg.arg, d->bus, d->dev, d->fn, PCI_REG_COMMAND);
	command &= 0xffff; /* the status half written as zeros changes nothing */
	command = on ? command | PCI_COMMAND_MASTER : command & ~PCI_COMMAND_MASTER;
	bus_cfg.write(bus_cfg.arg, d->bus, d->dev, d->fn, PCI_REG_COMMAND, command);
}

/** DEVMAN_BUS_CHILD_STOP and _START (abi/devman.h) for the inner function
 *  whose handle is the call's argument; devman's alone (PERM_TASK). */
static errno_t bus_child_call(const ipc_call_t *call)
{
	task_info_t info;
	if (task_get_info(ipc_get_task_id(call), &info) != EOK ||
	    (info.perms & PERM_TASK) == 0)
		return EPERM;
	size_t i = 0;
	while (fun_handles != NULL && i < devices.count &&
	    fun_handles[i] != ipc_get_arg1(call))
		i++;
	if (fun_handles == NULL || i == devices.count || ipc_get_arg1(call) == 0)
		return ENOENT;
	const pci_dev_info_t *d = &devices.items[i];
	if (d->header_type != PCI_HEADER_DEVICE)
		return ENOENT; /* bridges keep forwarding */
	bool on = ipc_get_imethod(call) == DEVMAN_BUS_CHILD_START;
	fibril_mutex_lock(&cfg_lock);
	set_master(d, on);
	fibril_mutex_unlock(&cfg_lock);
	char name[PCI_FUN_NAME_SIZE];
	pci_fun_name(d, name, sizeof(name));
	printf("%s: %s: bus mastering %s\n", NAME, name,
	    on ? "on (its new driver reset it)" : "off (its driver has gone)");
	return EOK;
}

/** One call of devman on the bus connection. */
static void pci_bus_call(ipc_call_t *call, void *arg)
{
	sysarg_t m = ipc_get_imethod(call);
	errno_t rc = m == DEVMAN_BUS_CHILD_STOP || m == DEVMAN_BUS_CHILD_START
	    ? bus_child_call(call)
	    : ENOTSUP;
	DISCARD(answer, async_answer_0(call, rc));
}

static void pci_bus_connection(ipc_call_t *icall, void *arg)
{
	async_serve(icall, pci_bus_call, arg);
}

static errno_t add_ctl(drv_dev_t *dev)
{
	errno_t rc;
	drv_fun_t *fun = drv_fun_create(dev, FUN_EXPOSED, "ctl", &rc);
	if (fun == NULL)
		return rc;
	drv_fun_set_handler(fun, pci_ctl_connection, NULL);
	rc = drv_fun_online(fun, PCI_CATEGORY);
	if (rc != EOK)
		return rc;
	return drv_fun_expose(
	    dev, "bus", DEVMAN_BUS_CATEGORY, pci_bus_connection, NULL, NULL);
}

/** The configuration ports, enabled. */
static errno_t enable_ports(drv_dev_t *dev, pci_cfg_t *cfg)
{
	const hw_resource_t *io = drv_dev_find_resource(dev, HWRES_IO, 0);
	if (io == NULL || io->size < MECH1_PORTS || io->base > 0xffff - MECH1_PORTS + 1)
		return ENOENT;
	errno_t rc = iospace_enable((uint32_t) io->base, MECH1_PORTS);
	if (rc != EOK)
		return rc;
	pci_mech1_init(cfg, (uint16_t) io->base);
	bus_cfg = *cfg;
	return EOK;
}

static errno_t pci_dev_add(drv_dev_t *dev)
{
	pci_cfg_t cfg;
	errno_t rc = enable_ports(dev, &cfg);
	if (rc != EOK) {
		printf("%s: no configuration ports: %s\n", NAME, strerror(rc));
		return rc;
	}
	rc = pci_enumerate(&cfg, &devices);
	if (rc != EOK) {
		printf("%s: enumeration failed: %s\n", NAME, strerror(rc));
		return rc;
	}
	printf("%s: %zu functions\n", NAME, devices.count);
	add_children(dev, &cfg);
	rc = add_ctl(dev);
	if (rc != EOK)
		printf("%s: cannot expose ctl: %s\n", NAME, strerror(rc));
	return rc;
}

int main(int argc, char **argv)
{
	static const driver_ops_t ops = {.name = NAME, .dev_add = pci_dev_add};
	return drv_main(&ops, argc, argv);
}
