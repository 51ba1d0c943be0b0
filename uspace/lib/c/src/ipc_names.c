/*
 * The registry of interface and method names (ipc_names.h). Every table
 * here is an expansion of a protocol header's method list, so its names
 * and numbers cannot drift apart; an interface missing here is decoded as
 * numbers.
 */
#include <abi/bd.h>
#include <abi/bench.h>
#include <abi/chardev.h>
#include <abi/devman.h>
#include <abi/display.h>
#include <abi/kbd.h>
#include <abi/loader.h>
#include <abi/loc.h>
#include <abi/logger.h>
#include <abi/net.h>
#include <abi/nic.h>
#include <abi/ns.h>
#include <abi/pci.h>
#include <abi/vfs.h>
#include "ipc_names.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/** The names of header list LIST, whose enum is PREFIX (IFACE_METHOD_ENUM). */
#define METHOD_NAMES(PREFIX, LIST) \
	static const char *const PREFIX##_names[] = {LIST(IFACE_METHOD_NAME)}

/** The method list of PREFIX's names: they number from PREFIX's first. */
#define METHOD_LIST(PREFIX) \
	{ \
		.first = PREFIX##_BEFORE_FIRST + 1, .count = COUNT(PREFIX##_names), \
		.names = PREFIX##_names, \
	}

METHOD_NAMES(IPC_M, IPC_SYSTEM_METHODS);
METHOD_NAMES(NS, NS_METHODS);
METHOD_NAMES(VFS_CLIENT, VFS_CLIENT_METHODS);
METHOD_NAMES(VFS_FS_REGISTER, VFS_FS_REGISTER_METHODS);
METHOD_NAMES(FS, FS_METHODS);
METHOD_NAMES(LOC, LOC_METHODS);
METHOD_NAMES(CHARDEV, CHARDEV_METHODS);
METHOD_NAMES(DISPLAY, DISPLAY_METHODS);
METHOD_NAMES(KBD, KBD_METHODS);
METHOD_NAMES(DEVMAN, DEVMAN_METHODS);
METHOD_NAMES(PCI, PCI_METHODS);
METHOD_NAMES(LOGGER, LOGGER_METHODS);
METHOD_NAMES(BENCH, BENCH_METHODS);
METHOD_NAMES(LOADER, LOADER_METHODS);
METHOD_NAMES(BD, BD_METHODS);
METHOD_NAMES(VOL, VOL_METHODS);
METHOD_NAMES(NET, NET_METHODS);
METHOD_NAMES(NIC, NIC_METHODS);

_Static_assert(IPC_M_END - 1 <= IPC_M_LAST_SYSTEM,
    "system methods stay at or below IPC_M_LAST_SYSTEM");

static const ipc_method_list_t system_list = METHOD_LIST(IPC_M);
static const ipc_method_list_t ns_lists[] = {METHOD_LIST(NS)};
static const ipc_method_list_t vfs_lists[] = {METHOD_LIST(VFS_CLIENT)};
/* Both directions of a file system's connections: register, and the VFS's
 * calls. */
static const ipc_method_list_t fs_lists[] = {
    METHOD_LIST(VFS_FS_REGISTER), METHOD_LIST(FS)};
static const ipc_method_list_t loc_lists[] = {METHOD_LIST(LOC)};
/* Terminals and displays answer the character-device calls and their own. */
static const ipc_method_list_t chardev_lists[] = {
    METHOD_LIST(CHARDEV), METHOD_LIST(DISPLAY)};
static const ipc_method_list_t kbd_lists[] = {METHOD_LIST(KBD)};
static const ipc_method_list_t devman_lists[] = {METHOD_LIST(DEVMAN)};
static const ipc_method_list_t pci_lists[] = {METHOD_LIST(PCI)};
static const ipc_method_list_t logger_lists[] = {METHOD_LIST(LOGGER)};
static const ipc_method_list_t bench_lists[] = {METHOD_LIST(BENCH)};
static const ipc_method_list_t loader_lists[] = {METHOD_LIST(LOADER)};
static const ipc_method_list_t bd_lists[] = {METHOD_LIST(BD)};
static const ipc_method_list_t vol_lists[] = {METHOD_LIST(VOL)};
static const ipc_method_list_t net_lists[] = {METHOD_LIST(NET)};
static const ipc_method_list_t nic_lists[] = {METHOD_LIST(NIC)};

#define IFACE(num, str, arr) \
	{ \
		.iface = (num), .name = (str), .list_count = COUNT(arr), .lists = (arr), \
	}

const ipc_iface_names_t ipc_names_ns = IFACE(0, "ns", ns_lists);
/* The loader's phone comes from SYS_TASK_SPAWN_LOADER, not a connection. */
const ipc_iface_names_t ipc_names_loader = IFACE(0, "loader", loader_lists);

static const ipc_iface_names_t ifaces[] = {
    IFACE(VFS_IFACE_CLIENT, "vfs", vfs_lists),
    IFACE(VFS_IFACE_FS, "vfs-fs", fs_lists),
    IFACE(VFS_IFACE_DIRECT, "vfs-direct", fs_lists),
    IFACE(LOC_IFACE_SUPPLIER, "loc-supplier", loc_lists),
    IFACE(LOC_IFACE_CONSUMER, "loc-consumer", loc_lists),
    IFACE(CHARDEV_IFACE, "chardev", chardev_lists),
    IFACE(KBD_IFACE, "kbd", kbd_lists),
    IFACE(DEVMAN_IFACE_DRIVER, "devman-driver", devman_lists),
    IFACE(DEVMAN_IFACE_CLIENT, "devman-client", devman_lists),
    IFACE(PCI_IFACE, "pci", pci_lists),
    IFACE(LOGGER_IFACE, "logger", logger_lists),
    IFACE(BENCH_IFACE, "bench", bench_lists),
    IFACE(BD_IFACE, "bd", bd_lists),
    IFACE(VOL_IFACE, "vol", vol_lists),
    IFACE(NET_IFACE, "net", net_lists),
    IFACE(NIC_IFACE, "nic", nic_lists),
};

const ipc_iface_names_t *ipc_names_iface(sysarg_t iface)
{
	for (size_t i = 0; i < COUNT(ifaces); i++) {
		if (ifaces[i].iface == iface)
			return &ifaces[i];
	}
	return NULL;
}

static const char *list_name(const ipc_method_list_t *l, sysarg_t method)
{
	if (method < l->first || method - l->first >= l->count)
		return NULL;
	return l->names[method - l->first];
}

const char *ipc_names_method(const ipc_iface_names_t *iface, sysarg_t method)
{
	for (size_t i = 0; i < iface->list_count; i++) {
		const char *name = list_name(&iface->lists[i], method);
		if (name != NULL)
			return name;
	}
	return NULL;
}

const char *ipc_names_system(sysarg_t method)
{
	return list_name(&system_list, method);
}

size_t ipc_names_iface_count(void)
{
	return COUNT(ifaces);
}

const ipc_iface_names_t *ipc_names_iface_at(size_t i)
{
	return i < COUNT(ifaces) ? &ifaces[i] : NULL;
}
