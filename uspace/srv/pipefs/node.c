/*
 * The pipes of every pipefs instance, in one list (`nodes`), and their
 * lifetimes. Everything here runs with pipefs_lock held.
 */
#include "pipefs.h"
#include <stdlib.h>
#include <string.h>

FIBRIL_MUTEX_INITIALIZE(pipefs_lock);

static list_t nodes = LIST_INITIALIZER(nodes); /* pipefs_node_t */
/* Indices are never reused, so a stale index never names a new pipe. */
static uint64_t next_index = PIPEFS_ROOT + 1;

pipefs_node_t *pipefs_node_find(sysarg_t inst, uint64_t index)
{
	list_foreach (nodes, link, pipefs_node_t, node) {
		if (node->inst == inst && node->index == index)
			return node;
	}
	return NULL;
}

pipefs_node_t *pipefs_node_lookup(sysarg_t inst, const char *name)
{
	list_foreach (nodes, link, pipefs_node_t, node) {
		if (node->inst == inst && node->linked && strcmp(node->name, name) == 0)
			return node;
	}
	return NULL;
}

errno_t pipefs_node_create(sysarg_t inst, const char *name, pipefs_node_t **out)
{
	pipefs_node_t *node = calloc(1, sizeof(*node));
	if (node == NULL)
		return ENOMEM;
	node->inst = inst;
	node->index = next_index++;
	str_lcpy(node->name, name, sizeof(node->name));
	node->linked = true;
	fibril_condvar_initialize(&node->changed);
	list_append(&node->link, &nodes);
	*out = node;
	return EOK;
}

/** Frees @a node once it has neither a name nor an open file. */
static void node_maybe_free(pipefs_node_t *node)
{
	if (node->linked || node->opens > 0)
		return;
	list_remove(&node->link);
	free(node);
}

void pipefs_node_open(pipefs_node_t *node, unsigned mode)
{
	if (mode != O_WRONLY)
		node->readers++;
	if (mode != O_RDONLY)
		node->writers++;
	node->opens++;
	fibril_condvar_broadcast(&node->changed);
}

void pipefs_node_close(pipefs_node_t *node, unsigned mode)
{
	if (mode != O_WRONLY && node->readers > 0)
		node->readers--;
	if (mode != O_RDONLY && node->writers > 0)
		node->writers--;
	if (node->opens > 0)
		node->opens--;
	/* Waiters see the end of the file, or that no reader is left. */
	fibril_condvar_broadcast(&node->changed);
	node_maybe_free(node);
}

void pipefs_node_unlink(pipefs_node_t *node)
{
	node->linked = false;
	node_maybe_free(node);
}

pipefs_node_t *pipefs_node_nth(sysarg_t inst, uint64_t pos)
{
	list_foreach (nodes, link, pipefs_node_t, node) {
		if (node->inst == inst && node->linked && pos-- == 0)
			return node;
	}
	return NULL;
}

uint64_t pipefs_node_count(sysarg_t inst)
{
	uint64_t n = 0;
	list_foreach (nodes, link, pipefs_node_t, node) {
		if (node->inst == inst && node->linked)
			n++;
	}
	return n;
}

void pipefs_inst_drop(sysarg_t inst)
{
	link_t *l = list_first(&nodes);
	while (l != NULL) {
		link_t *next = list_next(l, &nodes);
		pipefs_node_t *node = list_get_instance(l, pipefs_node_t, link);
		if (node->inst == inst) {
			list_remove(l);
			free(node);
		}
		l = next;
	}
}
