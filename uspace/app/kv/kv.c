/*
 * kv: the key-value store's command-line client (the example of
 * docs/writing-a-server.md):
 *   kv set KEY VALUE | kv get KEY | kv del KEY | kv count
 *   kv fill PREFIX N     sets PREFIX0..PREFIX(N-1) (for tests of several
 *                        clients at once)
 * Exit status: 0 done, 1 the store refused (the error is printed), 2 usage.
 */
#include "kvstore_client.h"
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define USAGE "set KEY VALUE | get KEY | del KEY | count | fill PREFIX N"

static int usage(void)
{
	return cmd_usage_error("kv", USAGE);
}

static int report(const char *what, errno_t rc)
{
	if (rc == EOK)
		return 0;
	fprintf(stderr, "kv: %s: %s\n", what, strerror(rc));
	return 1;
}

static int cmd_get(async_sess_t *sess, const char *key)
{
	char value[KVSTORE_VALUE_MAX + 1];
	size_t length;
	errno_t rc = kv_get(sess, key, value, KVSTORE_VALUE_MAX, &length);
	if (rc == EOK) {
		value[length < KVSTORE_VALUE_MAX ? length : KVSTORE_VALUE_MAX] = '\0';
		printf("%s\n", value);
	}
	return report(key, rc);
}

static int cmd_count(async_sess_t *sess)
{
	size_t n;
	errno_t rc = kv_count(sess, &n);
	if (rc == EOK)
		printf("%zu\n", n);
	return report("count", rc);
}

static int cmd_fill(async_sess_t *sess, const char *prefix, int n)
{
	for (int i = 0; i < n; i++) {
		char key[KVSTORE_KEY_MAX + 1];
		snprintf(key, sizeof(key), "%s%d", prefix, i);
		errno_t rc = kv_set(sess, key, key, strlen(key));
		if (rc != EOK)
			return report(key, rc);
	}
	return 0;
}

static int run(async_sess_t *sess, int argc, char *argv[])
{
	const char *cmd = argv[1];
	if (strcmp(cmd, "set") == 0 && argc == 4)
		return report(argv[2], kv_set(sess, argv[2], argv[3], strlen(argv[3])));
	if (strcmp(cmd, "get") == 0 && argc == 3)
		return cmd_get(sess, argv[2]);
	if (strcmp(cmd, "del") == 0 && argc == 3)
		return report(argv[2], kv_del(sess, argv[2]));
	if (strcmp(cmd, "count") == 0 && argc == 2)
		return cmd_count(sess);
	if (strcmp(cmd, "fill") == 0 && argc == 4)
		return cmd_fill(sess, argv[2], atoi(argv[3]));
	return usage();
}

int main(int argc, char *argv[])
{
	int early;
	if (cmd_check_words(argc, argv, USAGE, NULL, &early))
		return early;
	if (argc < 2)
		return usage();
	errno_t rc;
	async_sess_t *sess = kv_connect(&rc);
	if (sess == NULL)
		return report("cannot reach the store", rc);
	int status = run(sess, argc, argv);
	DISCARD(cleanup, async_hangup(sess));
	return status;
}
