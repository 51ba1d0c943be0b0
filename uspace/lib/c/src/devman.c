/*
 * The device manager's client side (devman.h). Each call makes its own
 * session: the tools using it ask once.
 */
#include <async.h>
#include <devman.h>
#include <ns.h>
#include <stdlib.h>
#include <string.h>
#include <task.h>

static async_sess_t *devman_connect(errno_t *rc)
{
	return service_connect(
	    service_id_from_name(DEVMAN_SERVICE_NAME), DEVMAN_IFACE_CLIENT, 0, rc);
}

/** Reads the tree into @a buf (@a max nodes); the count in *@a count. */
static errno_t tree_read(
    async_sess_t *sess, devman_node_info_t *buf, size_t max, size_t *count)
{
	async_exch_t *exch = async_exchange_begin(sess);
	if (exch == NULL)
		return ENOMEM;
	size_t got;
	sysarg_t n = 0;
	errno_t rc = async_req_read(
	    exch, DEVMAN_GET_TREE, 0, 0, buf, max * sizeof(*buf), &got, &n);
	async_exchange_end(exch);
	*count = n;
	return rc;
}

errno_t devman_get_tree(devman_node_info_t **nodes, size_t *count)
{
	errno_t rc;
	async_sess_t *sess = devman_connect(&rc);
	if (sess == NULL)
		return rc;
	devman_node_info_t *buf = malloc(DEVMAN_NODES_MAX * sizeof(*buf));
	size_t n = 0;
	rc = buf != NULL ? tree_read(sess, buf, DEVMAN_NODES_MAX, &n) : ENOMEM;
	DISCARD(cleanup, async_hangup(sess));
	if (rc != EOK) {
		free(buf);
		return rc;
	}
	*nodes = buf;
	*count = n < DEVMAN_NODES_MAX ? n : DEVMAN_NODES_MAX;
	return EOK;
}

errno_t devman_wait_stable(uint64_t usec)
{
	errno_t rc;
	async_sess_t *sess = devman_connect(&rc);
	if (sess == NULL)
		return rc;
	async_exch_t *exch = async_exchange_begin(sess);
	rc = exch != NULL ? async_req_1_0(exch, DEVMAN_WAIT_STABLE, usec) : ENOMEM;
	if (exch != NULL)
		async_exchange_end(exch);
	DISCARD(cleanup, async_hangup(sess));
	return rc;
}

errno_t devman_find_driver(const char *driver, devman_node_info_t *out)
{
	devman_node_info_t *nodes;
	size_t count;
	errno_t rc = devman_get_tree(&nodes, &count);
	if (rc != EOK)
		return rc;
	rc = ENOENT;
	for (size_t i = 0; i < count && rc == ENOENT; i++) {
		if (nodes[i].kind == DEVMAN_NODE_DEV &&
		    strcmp(nodes[i].driver, driver) == 0) {
			*out = nodes[i];
			rc = EOK;
		}
	}
	free(nodes);
	return rc;
}

const char *devman_state_name(unsigned state)
{
	switch (state) {
	case DEVMAN_DEV_NO_DRIVER:
		return "no driver";
	case DEVMAN_DEV_STARTING:
		return "starting";
	case DEVMAN_DEV_RUNNING:
		return "running";
	case DEVMAN_DEV_FAILED:
		return "failed";
	case DEVMAN_FUN_ON:
		return "online";
	default:
		return "offline";
	}
}

errno_t devman_start(const char *const args[])
{
	task_spawn_opts_t opts;
	task_spawn_opts_init(&opts);
	opts.perms = PERM_IO | PERM_IRQ | PERM_PHYSMEM | PERM_TASK;
	task_id_t id;
	errno_t rc = task_spawn_opts(&id, NULL, args[0], args, &opts);
	if (rc != EOK)
		return rc;
	task_exit_t texit;
	int value;
	rc = task_wait_task_id(id, TASK_WAIT_RETVAL, &texit, &value);
	return rc == EOK && (texit.how != 0 || value != 0) ? EPARTY : rc;
}
