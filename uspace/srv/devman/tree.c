/*
 * The device tree. Every node is on one of two global lists (all_devs,
 * all_funs) for lookups by handle; handles count up and are never reused,
 * so a stale handle finds nothing. At most DEVMAN_NODES_MAX nodes live.
 */
#include "devman.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TOP_NAME     "hw"
#define TOP_MATCH_ID "platform/pc"

FIBRIL_MUTEX_INITIALIZE(tree_lock);
FIBRIL_CONDVAR_INITIALIZE(tree_changed);

static list_t all_devs = LIST_INITIALIZER(all_devs);
static list_t all_funs = LIST_INITIALIZER(all_funs);
static uint64_t next_handle = 1;
static size_t node_count;
static dev_node_t *root_dev;

dev_node_t *dev_find(uint64_t handle)
{
	list_foreach (all_devs, all_link, dev_node_t, d) {
		if (d->handle == handle)
			return d;
	}
	return NULL;
}

fun_node_t *fun_find(uint64_t handle)
{
	list_foreach (all_funs, all_link, fun_node_t, f) {
		if (f->handle == handle)
			return f;
	}
	return NULL;
}

static fun_node_t *fun_alloc(dev_node_t *dev, unsigned type, const char *name)
{
	if (node_count >= DEVMAN_NODES_MAX)
		return NULL;
	fun_node_t *fun = calloc(1, sizeof(*fun));
	if (fun == NULL)
		return NULL;
	fun->handle = next_handle++;
	fun->dev = dev;
	fun->type = type;
	strcpy(fun->name, name);
	list_append(&fun->all_link, &all_funs);
	if (dev != NULL)
		list_append(&fun->link, &dev->funs);
	node_count++;
	return fun;
}

errno_t fun_create(dev_node_t *dev, unsigned type, const char *name, fun_node_t **out)
{
	list_foreach (dev->funs, link, fun_node_t, f) {
		if (strcmp(f->name, name) == 0)
			return EEXIST;
	}
	if (node_count >= DEVMAN_NODES_MAX)
		return ELIMIT;
	fun_node_t *fun = fun_alloc(dev, type, name);
	if (fun == NULL)
		return ENOMEM;
	*out = fun;
	return EOK;
}

errno_t dev_create(fun_node_t *fun, dev_node_t **out)
{
	if (node_count >= DEVMAN_NODES_MAX)
		return ELIMIT;
	dev_node_t *dev = calloc(1, sizeof(*dev));
	if (dev == NULL)
		return ENOMEM;
	const char *parent = fun->dev != NULL ? fun->dev->path : "";
	int n = snprintf(dev->path, sizeof(dev->path), "%s/%s", parent, fun->name);
	if (n < 0 || (size_t) n >= sizeof(dev->path)) {
		free(dev);
		return ENAMETOOLONG;
	}
	dev->handle = next_handle++;
	dev->pfun = fun;
	dev->state = DEVMAN_DEV_NO_DRIVER;
	list_initialize(&dev->funs);
	list_append(&dev->all_link, &all_devs);
	node_count++;
	fun->child = dev;
	*out = dev;
	return EOK;
}

errno_t tree_init(dev_node_t **root)
{
	fun_node_t *top = fun_alloc(NULL, FUN_INNER, TOP_NAME);
	if (top == NULL)
		return ENOMEM;
	errno_t rc = match_list_add(&top->match, TOP_MATCH_ID, 100);
	if (rc == EOK)
		rc = dev_create(top, &root_dev);
	if (rc != EOK)
		return rc;
	top->online = true;
	*root = root_dev;
	return EOK;
}

static void dev_remove(dev_node_t *dev, void (*dead)(task_id_t))
{
	dev_drop_functions(dev, dead);
	if (dev->task != 0)
		dead(dev->task);
	dev->pfun->child = NULL;
	list_remove(&dev->all_link);
	node_count--;
	free(dev);
}

void fun_remove(fun_node_t *fun, void (*dead)(task_id_t))
{
	if (fun->child != NULL)
		dev_remove(fun->child, dead);
	list_remove(&fun->link);
	list_remove(&fun->all_link);
	node_count--;
	free(fun);
}

void dev_drop_functions(dev_node_t *dev, void (*dead)(task_id_t))
{
	while (!list_empty(&dev->funs)) {
		fun_node_t *fun = list_get_instance(
		    list_first(&dev->funs), fun_node_t, link);
		fun_remove(fun, dead);
	}
}

size_t tree_starting(void)
{
	size_t n = 0;
	list_foreach (all_devs, all_link, dev_node_t, d)
		n += d->state == DEVMAN_DEV_STARTING;
	return n;
}

static void dev_info(const dev_node_t *dev, unsigned depth, devman_node_info_t *i)
{
	memset(i, 0, sizeof(*i));
	i->handle = dev->handle;
	i->parent = dev->pfun->dev != NULL ? dev->pfun->handle : 0;
	i->task = dev->task;
	i->kind = DEVMAN_NODE_DEV;
	i->state = dev->state;
	i->depth = depth;
	strcpy(i->name, dev->pfun->name);
	strcpy(i->driver, dev->driver);
	strcpy(i->match, dev->match);
}

static void fun_info(const fun_node_t *fun, unsigned depth, devman_node_info_t *i)
{
	memset(i, 0, sizeof(*i));
	i->handle = fun->handle;
	i->parent = fun->dev->handle;
	i->loc_id = fun->loc_id;
	i->kind = DEVMAN_NODE_FUN;
	i->state = fun->online ? DEVMAN_FUN_ON : 0;
	i->depth = depth;
	i->fun_type = fun->type;
	strcpy(i->name, fun->name);
	strcpy(i->category, fun->category);
}

/** Adds @a dev and its subtree from index @a n; returns the next index. */
static size_t snapshot_dev(
    const dev_node_t *dev, unsigned depth, devman_node_info_t *out, size_t max, size_t n)
{
	if (n < max)
		dev_info(dev, depth, &out[n]);
	n++;
	list_foreach (dev->funs, link, fun_node_t, fun) {
		if (fun->child != NULL) {
			n = snapshot_dev(fun->child, depth + 1, out, max, n);
			continue;
		}
		if (n < max)
			fun_info(fun, depth + 1, &out[n]);
		n++;
	}
	return n;
}

size_t tree_snapshot(devman_node_info_t *out, size_t max)
{
	return root_dev != NULL ? snapshot_dev(root_dev, 0, out, max, 0) : 0;
}
