/*
 * devices: the device tree of the device manager. One line per device:
 * its path, driver, state, driver task and the match id that chose the
 * driver; below a device the functions it exposes, with their category.
 */
#include <devman.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define USAGE "[-d] (-d: devices only, no functions)"

/** The device path of node @a i: the names of its ancestors (depth-first
 *  order puts each parent before it, at depth - 1). */
static void node_path(const devman_node_info_t *n, size_t i, char *buf, size_t size)
{
	const char *parts[DEVMAN_NODES_MAX];
	size_t count = 0;
	unsigned depth = n[i].depth + 1;
	for (size_t j = i + 1; j-- > 0 && depth > 0;) {
		if (n[j].kind == DEVMAN_NODE_DEV && n[j].depth == depth - 1) {
			parts[count++] = n[j].name;
			depth--;
		}
	}
	buf[0] = '\0';
	while (count > 0) {
		size_t len = strlen(buf);
		snprintf(buf + len, size - len, "/%s", parts[--count]);
	}
}

static void show_dev(const devman_node_info_t *n, size_t i)
{
	char path[DEVMAN_PATH_MAX + 1];
	node_path(n, i, path, sizeof(path));
	char line[DEVMAN_PATH_MAX + 128];
	int len = snprintf(line, sizeof(line), "%*s%-*s %-8s %-9s", (int) n[i].depth * 2,
	    "", 28 - (int) n[i].depth * 2, path,
	    n[i].driver[0] != '\0' ? n[i].driver : "-", devman_state_name(n[i].state));
	if (len > 0 && (size_t) len < sizeof(line) && n[i].task != 0)
		snprintf(line + len, sizeof(line) - len, " task %-4llu %s",
		    (unsigned long long) n[i].task, n[i].match);
	len = (int) strlen(line);
	while (len > 0 && line[len - 1] == ' ')
		line[--len] = '\0';
	printf("%s\n", line);
}

static void show_fun(const devman_node_info_t *n, size_t i)
{
	printf("%*s%-*s %-8s %s\n", (int) n[i].depth * 2, "", 28 - (int) n[i].depth * 2,
	    n[i].name, n[i].fun_type == FUN_EXPOSED ? n[i].category : "(inner)",
	    devman_state_name(n[i].state));
}

int main(int argc, char *argv[])
{
	if (cmd_help(argc, argv, USAGE))
		return CMD_EXIT_OK;
	bool devices_only = false;
	int c;
	while ((c = getopt(argc, argv, "d")) != -1) {
		if (c != 'd')
			return CMD_EXIT_USAGE;
		devices_only = true;
	}
	if (optind != argc)
		return cmd_usage_error(argv[0], USAGE);
	devman_node_info_t *nodes;
	size_t count;
	errno_t rc = devman_get_tree(&nodes, &count);
	if (rc != EOK)
		return cmd_error(argv[0], "the device manager", rc);
	for (size_t i = 0; i < count; i++) {
		if (nodes[i].kind == DEVMAN_NODE_DEV)
			show_dev(nodes, i);
		else if (!devices_only)
			show_fun(nodes, i);
	}
	free(nodes);
	return CMD_EXIT_OK;
}
