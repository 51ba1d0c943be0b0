/*
 * IRQ code validation: every bad shape is refused.
 */
#include "host_test.h"
#include <ipc/irq.h>
#include <string.h>

/* The test task may touch ports 0x3f8-0x3ff only. */
static bool may_touch(void *ctx, uint32_t port, unsigned width)
{
	return port >= 0x3f8 && port + width <= 0x400;
}

static const irq_cmd_t good[] = {
    {.cmd = IRQ_CMD_PIO_READ_8, .port = 0x3fa, .dst = 1},
    {.cmd = IRQ_CMD_AND, .src = 1, .dst = 2, .value = 1},
    {.cmd = IRQ_CMD_PREDICATE, .src = 2, .value = 2},
    {.cmd = IRQ_CMD_PIO_READ_8, .port = 0x3f8, .dst = 3},
    {.cmd = IRQ_CMD_ACCEPT},
    {.cmd = IRQ_CMD_DECLINE},
};
#define GOOD_COUNT (sizeof(good) / sizeof(good[0]))

static errno_t with(size_t index, irq_cmd_t change)
{
	irq_cmd_t prog[GOOD_COUNT];
	memcpy(prog, good, sizeof(good));
	prog[index] = change;
	return irq_code_validate(prog, GOOD_COUNT, may_touch, NULL);
}

HOST_TEST(accepts_a_well_formed_program)
{
	CHECK_EQ(irq_code_validate(good, GOOD_COUNT, may_touch, NULL), EOK);
}

HOST_TEST(rejects_each_bad_shape)
{
	CHECK_EQ(irq_code_validate(good, 0, may_touch, NULL), EINVAL);
	CHECK_EQ(irq_code_validate(good, IRQ_CODE_MAX_CMDS + 1, may_touch, NULL), EINVAL);
	CHECK_EQ(with(0, (irq_cmd_t){.cmd = 0}), EINVAL);
	CHECK_EQ(with(0, (irq_cmd_t){.cmd = IRQ_CMD_LAST + 1}), EINVAL);
	CHECK_EQ(with(0, (irq_cmd_t){.cmd = IRQ_CMD_PIO_READ_8, .port = 0x3f8, .dst = 6}),
	    EINVAL); /* scratch index */
	CHECK_EQ(with(1, (irq_cmd_t){.cmd = IRQ_CMD_AND, .src = 9, .dst = 1}), EINVAL);
	CHECK_EQ(with(2, (irq_cmd_t){.cmd = IRQ_CMD_PREDICATE, .src = 2, .value = 4}),
	    EINVAL); /* jumps past the end */
	CHECK_EQ(with(5, (irq_cmd_t){.cmd = IRQ_CMD_PREDICATE, .src = 1, .value = 1}),
	    EINVAL); /* the last command cannot skip anything */
	CHECK_EQ(with(0, (irq_cmd_t){.cmd = IRQ_CMD_PIO_READ_8, .port = 0x60, .dst = 1}),
	    EPERM); /* a port outside the task's I/O space */
	CHECK_EQ(
	    with(0, (irq_cmd_t){.cmd = IRQ_CMD_PIO_READ_32, .port = 0x3fe, .dst = 1}),
	    EPERM); /* straddles the end of it */
	CHECK_EQ(
	    with(0, (irq_cmd_t){.cmd = IRQ_CMD_PIO_WRITE_8, .port = 0x10000}), EINVAL);
	CHECK_EQ(
	    with(0, (irq_cmd_t){.cmd = IRQ_CMD_PIO_WRITE_A_16, .port = 0x3f8, .src = 7}),
	    EINVAL);
}
