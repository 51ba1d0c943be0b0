/*
 * The device manager's match ids: parsing NAME.ma files and the drivers'
 * index, and choosing the best driver.
 */
#if __STDC_HOSTED__ /* not built into devman: see host.mk */
#include "host_test.h"
#include "match.h"
#include <stdio.h>
#include <string.h>

/** What an index parse reported: the skipped sections, in order. */
typedef struct {
	size_t count;
	char names[8][DEVMAN_NAME_MAX + 1];
	size_t lines[8];
	errno_t rcs[8];
} bad_log_t;

static void bad_record(const char *name, size_t line, errno_t rc, void *arg)
{
	bad_log_t *log = arg;
	if (log->count == 8)
		return;
	snprintf(log->names[log->count], sizeof(log->names[0]), "%s", name);
	log->lines[log->count] = line;
	log->rcs[log->count++] = rc;
}

HOST_TEST(parse_lines_comments_and_blanks)
{
	match_list_t l;
	size_t bad = 0;
	CHECK_EQ(match_parse("# serial ports\n100 isa/ns16550\n\n  50  pci/class=07 \n",
		     &l, &bad),
	    EOK);
	CHECK_EQ(l.count, 2);
	CHECK_EQ(l.ids[0].score, 100);
	CHECK(strcmp(l.ids[0].id, "isa/ns16550") == 0);
	CHECK_EQ(l.ids[1].score, 50);
	CHECK(strcmp(l.ids[1].id, "pci/class=07") == 0);
	CHECK_EQ(match_parse("", &l, &bad), EOK);
	CHECK_EQ(l.count, 0);
}

HOST_TEST(malformed_lines_name_their_number)
{
	match_list_t l;
	size_t bad = 0;
	CHECK_EQ(match_parse("100 a\nisa/ns16550\n", &l, &bad), EINVAL);
	CHECK_EQ(bad, 2);
	CHECK_EQ(match_parse("0 a\n", &l, &bad), EINVAL);
	CHECK_EQ(match_parse("101 a\n", &l, &bad), EINVAL);
	CHECK_EQ(match_parse("100\n", &l, &bad), EINVAL);
	CHECK_EQ(match_parse("100 a b\n", &l, &bad), EINVAL);
	CHECK_EQ(match_parse("100x a\n", &l, &bad), EINVAL);
	char text[256];
	memset(text, 0, sizeof(text));
	strcpy(text, "10 ");
	memset(text + 3, 'x', DEVMAN_MATCH_ID_MAX + 1);
	CHECK_EQ(match_parse(text, &l, &bad), EINVAL);
}

HOST_TEST(too_many_ids_are_refused)
{
	match_list_t l;
	size_t bad = 0;
	char text[512] = "";
	for (int i = 0; i <= DEVMAN_MATCH_IDS; i++) {
		char line[32];
		snprintf(line, sizeof(line), "10 id%d\n", i);
		strcat(text, line);
	}
	CHECK_EQ(match_parse(text, &l, &bad), ELIMIT);
}

HOST_TEST(index_sections_become_drivers_in_order)
{
	driver_desc_t drv[4];
	bad_log_t log = {0};
	const char *text = "# made by the build\n[ata]\n# IDE\n100 pci/class=01\n"
			   "[e1000]\n100 pci/ven=8086&dev=100e\n 90 pci/class=02 \n"
			   "[empty]\n\n[pc]\n100 platform/pc";
	CHECK_EQ(match_index_parse(text, drv, 4, bad_record, &log), 4);
	CHECK_EQ(log.count, 0);
	CHECK(strcmp(drv[0].name, "ata") == 0);
	CHECK_EQ(drv[0].ids.count, 1);
	CHECK(strcmp(drv[1].name, "e1000") == 0);
	CHECK_EQ(drv[1].ids.count, 2);
	CHECK_EQ(drv[1].ids.ids[1].score, 90);
	CHECK(strcmp(drv[1].ids.ids[1].id, "pci/class=02") == 0);
	CHECK(strcmp(drv[2].name, "empty") == 0);
	CHECK_EQ(drv[2].ids.count, 0);
	CHECK(strcmp(drv[3].name, "pc") == 0);
	CHECK(strcmp(drv[3].ids.ids[0].id, "platform/pc") == 0);
	CHECK_EQ(match_index_parse("", drv, 4, bad_record, &log), 0);
}

HOST_TEST(a_bad_index_section_is_skipped_and_named)
{
	driver_desc_t drv[2];
	bad_log_t log = {0};
	const char *text = "100 stray\n"		 /* 1: before any header */
			   "[a]\n100 x\nbroken\n100 y\n" /* 2-5: a bad line */
			   "[b]\n100 z\n"		 /* 6-7: read */
			   "[b]\n100 w\n"		 /* 8-9: the name again */
			   "[c/d]\n"			 /* 10: a bad name */
			   "[]\n"			 /* 11: no name */
			   "[e]\n100 v\n"		 /* 12-13: read */
			   "[f]\n";			 /* 14: one driver too many */
	CHECK_EQ(match_index_parse(text, drv, 2, bad_record, &log), 2);
	CHECK(strcmp(drv[0].name, "b") == 0);
	CHECK(strcmp(drv[0].ids.ids[0].id, "z") == 0);
	CHECK_EQ(drv[0].ids.count, 1);
	CHECK(strcmp(drv[1].name, "e") == 0);
	CHECK_EQ(log.count, 6);
	CHECK(strcmp(log.names[0], "") == 0);
	CHECK_EQ(log.lines[0], 1);
	CHECK_EQ(log.rcs[0], EINVAL);
	CHECK(strcmp(log.names[1], "a") == 0);
	CHECK_EQ(log.lines[1], 4);
	CHECK_EQ(log.rcs[1], EINVAL);
	CHECK(strcmp(log.names[2], "b") == 0);
	CHECK_EQ(log.lines[2], 8);
	CHECK_EQ(log.rcs[2], EEXIST);
	CHECK_EQ(log.lines[3], 10);
	CHECK_EQ(log.rcs[3], EINVAL);
	CHECK_EQ(log.lines[4], 11);
	CHECK(strcmp(log.names[5], "f") == 0);
	CHECK_EQ(log.lines[5], 14);
	CHECK_EQ(log.rcs[5], ELIMIT);
}

HOST_TEST(the_highest_product_wins)
{
	driver_desc_t drv[3];
	memset(drv, 0, sizeof(drv));
	strcpy(drv[0].name, "generic");
	CHECK_EQ(match_list_add(&drv[0].ids, "pci/class=03&subclass=00", 100), EOK);
	strcpy(drv[1].name, "specific");
	CHECK_EQ(match_list_add(&drv[1].ids, "pci/ven=1234&dev=1111", 100), EOK);
	strcpy(drv[2].name, "other");
	CHECK_EQ(match_list_add(&drv[2].ids, "isa/i8042", 100), EOK);
	match_list_t dev;
	memset(&dev, 0, sizeof(dev));
	CHECK_EQ(match_list_add(&dev, "pci/ven=1234&dev=1111", 90), EOK);
	CHECK_EQ(match_list_add(&dev, "pci/class=03&subclass=00", 50), EOK);
	const char *id = NULL;
	const driver_desc_t *d = match_best(drv, 3, &dev, &id);
	CHECK(d == &drv[1]);
	CHECK(strcmp(id, "pci/ven=1234&dev=1111") == 0);
	d = match_best(drv, 1, &dev, &id); /* only the class driver */
	CHECK(d == &drv[0]);
	CHECK_EQ(match_score(&dev, &drv[0].ids, &id), 5000);
	d = match_best(&drv[2], 1, &dev, &id);
	CHECK(d == NULL);
}

HOST_TEST(ties_go_to_the_first_driver)
{
	driver_desc_t drv[2];
	memset(drv, 0, sizeof(drv));
	CHECK_EQ(match_list_add(&drv[0].ids, "x", 50), EOK);
	CHECK_EQ(match_list_add(&drv[1].ids, "x", 50), EOK);
	match_list_t dev;
	memset(&dev, 0, sizeof(dev));
	CHECK_EQ(match_list_add(&dev, "x", 100), EOK);
	const char *id;
	CHECK(match_best(drv, 2, &dev, &id) == &drv[0]);
	CHECK_EQ(match_list_add(&dev, "", 10), EINVAL);
	CHECK_EQ(match_list_add(&dev, "y", 0), EINVAL);
}
#endif
