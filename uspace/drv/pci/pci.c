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
 * online and only read after, so client fibrils share them without a lock;
 * configuration space itself is touched only by dev_add's fibril.
 */
#include "pci.h"
#include <async.h>
#include <ddi.h>
#include <drv.h>
#include <ipc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MECH1_PORTS 8

static pci_list_t devices;
/* configs[i]: the configuration space of devices.items[i]. */
static uint32_t (*configs)[PCI_CONFIG_SIZE / 4];

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

static void pci_ctl_connection(ipc_call_t *icall, void *arg)
{
	if (async_accept_0(icall) != EOK)
		return;
	for (;;) {
		ipc_call_t call;
		if (!async_get_call(&call) || ipc_get_imethod(&call) == 0)
			return;
		if (ipc_get_imethod(&call) == PCI_GET_DEVICES)
			pci_get_devices(&call);
		else if (ipc_get_imethod(&call) == PCI_GET_CONFIG)
			pci_get_config(&call);
		else
			DISCARD(answer, async_answer_0(&call, ENOTSUP));
	}
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
static errno_t add_child(drv_dev_t *dev, const pci_dev_info_t *d)
{
	char name[PCI_FUN_NAME_SIZE];
	pci_fun_name(d, name, sizeof(name));
	errno_t rc;
	drv_fun_t *fun = drv_fun_create(dev, FUN_INNER, name, &rc);
	if (fun == NULL)
		return rc;
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
	for (size_t i = 0; i < devices.count; i++) {
		const pci_dev_info_t *d = &devices.items[i];
		hand_over(cfg, d, i);
		errno_t rc = add_child(dev, d);
		if (rc != EOK) {
			char name[PCI_FUN_NAME_SIZE];
			pci_fun_name(d, name, sizeof(name));
			printf("%s: cannot add %s: %s\n", NAME, name, strerror(rc));
		}
	}
}

static errno_t add_ctl(drv_dev_t *dev)
{
	errno_t rc;
	drv_fun_t *fun = drv_fun_create(dev, FUN_EXPOSED, "ctl", &rc);
	if (fun == NULL)
		return rc;
	drv_fun_set_handler(fun, pci_ctl_connection, NULL);
	return drv_fun_online(fun, PCI_CATEGORY);
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
