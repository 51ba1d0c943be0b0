/*
 * pc: the platform driver of the PC, the root of the device tree.
 *
 * The legacy devices of a PC cannot be enumerated, so this driver knows
 * them: the PCI host bridge behind configuration mechanism #1, the first
 * serial port and the i8042 keyboard controller, each with the fixed
 * resources the PC architecture gives it. Each becomes an inner function
 * whose driver devman picks by match id and grants these resources.
 */
#include <drv.h>
#include <stdio.h>
#include <string.h>

#define NAME "pc"

typedef struct {
	const char *name;
	const char *match_id;
	hw_resource_t res[4];
	size_t res_count;
} legacy_dev_t;

static const legacy_dev_t legacy_devs[] = {
    {"pci0", "pc/pci-host", {{HWRES_IO, 0, 0xcf8, 8}}, 1},
    {"com1", "isa/ns16550", {{HWRES_IO, 0, 0x3f8, 8}, {HWRES_IRQ, 0, 4, 1}}, 2},
    {"i8042", "isa/i8042",
	{{HWRES_IO, 0, 0x60, 1}, {HWRES_IO, 0, 0x64, 1}, {HWRES_IRQ, 0, 1, 1},
	    {HWRES_IRQ, 0, 12, 1}},
	4},
};

static errno_t legacy_add(drv_dev_t *dev, const legacy_dev_t *ld)
{
	errno_t rc;
	drv_fun_t *fun = drv_fun_create(dev, FUN_INNER, ld->name, &rc);
	if (fun == NULL)
		return rc;
	rc = drv_fun_add_match_id(fun, ld->match_id, 100);
	for (size_t i = 0; rc == EOK && i < ld->res_count; i++)
		rc = drv_fun_add_resource(
		    fun, ld->res[i].kind, ld->res[i].base, ld->res[i].size);
	if (rc == EOK)
		rc = drv_fun_online(fun, NULL);
	return rc;
}

static errno_t pc_dev_add(drv_dev_t *dev)
{
	for (size_t i = 0; i < sizeof(legacy_devs) / sizeof(legacy_devs[0]); i++) {
		errno_t rc = legacy_add(dev, &legacy_devs[i]);
		if (rc != EOK) {
			printf("%s: cannot add %s: %s\n", NAME, legacy_devs[i].name,
			    strerror(rc));
			return rc;
		}
	}
	return EOK;
}

static const driver_ops_t pc_ops = {.name = NAME, .dev_add = pc_dev_add};

int main(int argc, char **argv)
{
	return drv_main(&pc_ops, argc, argv);
}
