/*
 * The device manager's match ids: parsing NAME.ma files and choosing the
 * best driver.
 */
#if __STDC_HOSTED__ /* not built into devman: see host.mk */
#include "host_test.h"
#include "match.h"
#include <string.h>

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
