/*
 * lspci: the PCI functions every PCI bus driver found (the services of
 * category "pci", protocol abi/pci.h), one line each:
 *   00:01.0 8086:7000 ISA bridge [0601]
 * -v adds their BARs and interrupt lines. Exits 1 when there is no PCI bus
 * driver or one cannot be asked.
 */
#include "pciname.h"
#include <async.h>
#include <getopt.h>
#include <ipc.h>
#include <loc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define USAGE	     "[-v]"
#define SERVICES_MAX 16
#define LINE_MAX     128
#define FIRST_ROOM   32

/** PCI_GET_DEVICES into @a buf (@a room records): the number found in
 *  *@a count, which may exceed @a room. */
static errno_t get_devices(
    async_sess_t *sess, pci_dev_info_t *buf, size_t room, size_t *count)
{
	async_exch_t *exch = async_exchange_begin(sess);
	if (exch == NULL)
		return ENOMEM;
	sysarg_t n = 0;
	errno_t rc = async_req_read(
	    exch, PCI_GET_DEVICES, 0, 0, buf, room * sizeof(*buf), NULL, &n);
	async_exchange_end(exch);
	if (rc == EOK)
		*count = n;
	return rc;
}

/** All records of one driver in a malloc'ed array of *@a count. */
static errno_t fetch_all(async_sess_t *sess, pci_dev_info_t **out, size_t *count)
{
	size_t room = FIRST_ROOM;
	for (;;) {
		pci_dev_info_t *buf = malloc(room * sizeof(*buf));
		if (buf == NULL)
			return ENOMEM;
		size_t n = 0;
		errno_t rc = get_devices(sess, buf, room, &n);
		if (rc == EOK && n <= room) {
			*out = buf;
			*count = n;
			return EOK;
		}
		free(buf);
		if (rc != EOK)
			return rc;
		if (n > IPC_DATA_MAX / sizeof(*buf))
			return EOVERFLOW; /* more than one read can carry */
		room = n;
	}
}

static void show_details(const pci_dev_info_t *d)
{
	char line[LINE_MAX];
	for (size_t i = 0; i < PCI_BARS; i++) {
		pci_format_bar(i, &d->bars[i], line, sizeof(line));
		if (line[0] != '\0')
			printf("\t%s\n", line);
	}
	pci_format_irq(d, line, sizeof(line));
	if (line[0] != '\0')
		printf("\t%s\n", line);
}

/** Lists what the driver behind service @a id found. */
static errno_t show_service(loc_id_t id, bool verbose)
{
	errno_t rc;
	async_sess_t *sess = loc_service_connect(id, PCI_IFACE, &rc);
	if (sess == NULL)
		return rc;
	pci_dev_info_t *devs = NULL;
	size_t count = 0;
	rc = fetch_all(sess, &devs, &count);
	DISCARD(cleanup, async_hangup(sess));
	if (rc != EOK)
		return rc;
	for (size_t i = 0; i < count; i++) {
		char line[LINE_MAX];
		pci_format_line(&devs[i], line, sizeof(line));
		printf("%s\n", line);
		if (verbose)
			show_details(&devs[i]);
	}
	free(devs);
	return EOK;
}

/** The services of category "pci": ENOENT when there are none. */
static errno_t find_services(loc_id_t *ids, size_t max, size_t *count)
{
	category_id_t cat;
	errno_t rc = loc_category_get_id(PCI_CATEGORY, &cat, 0);
	if (rc != EOK)
		return rc;
	rc = loc_category_get_svcs(cat, ids, max, count);
	if (rc == EOK && *count == 0)
		rc = ENOENT;
	if (*count > max)
		*count = max;
	return rc;
}

int main(int argc, char *argv[])
{
	if (cmd_help(argc, argv, USAGE))
		return CMD_EXIT_OK;
	bool verbose = false;
	int c;
	while ((c = getopt(argc, argv, "v")) != -1) {
		if (c != 'v')
			return CMD_EXIT_USAGE; /* getopt said which */
		verbose = true;
	}
	if (optind != argc)
		return cmd_usage_error(argv[0], USAGE);
	loc_id_t ids[SERVICES_MAX];
	size_t count = 0;
	errno_t rc = find_services(ids, SERVICES_MAX, &count);
	if (rc == ENOENT) {
		fprintf(stderr, "%s: no PCI bus driver (category \"%s\" is empty)\n",
		    cmd_name(argv[0]), PCI_CATEGORY);
		return CMD_EXIT_ERROR;
	}
	if (rc != EOK)
		return cmd_error(argv[0], "category " PCI_CATEGORY, rc);
	int status = CMD_EXIT_OK;
	for (size_t i = 0; i < count; i++) {
		rc = show_service(ids[i], verbose);
		if (rc != EOK)
			status = cmd_error(argv[0], "PCI bus driver", rc);
	}
	return status;
}
