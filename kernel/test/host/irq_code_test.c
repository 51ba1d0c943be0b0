/*
 * IRQ code validation: every bad shape is refused.
 */
#include "host_test.h"
#include <ipc/irq.h>
#include <string.h>

/* The test task may touch ports 0x3f8-0x3ff and read the device memory
 * page 0xfebf1000 only (a BAR's ISR page). */
static bool may_touch(void *ctx, uint32_t port, unsigned width)
{
	return port >= 0x3f8 && port + width <= 0x400;
}

#define GRANTED_PAGE 0xfebf1000ull

static bool may_read_mem(void *ctx, uint64_t addr, unsigned width)
{
	return addr >= GRANTED_PAGE && addr + width <= GRANTED_PAGE + 0x1000;
}

static const irq_code_checks_t checks = {
    .may_touch = may_touch, .may_read_mem = may_read_mem};

static const irq_cmd_t good[] = {
    {.cmd = IRQ_CMD_PIO_READ_8, .port = 0x3fa, .dst = 1},
    {.cmd = IRQ_CMD_AND, .src = 1, .dst = 2, .value = 1},
    {.cmd = IRQ_CMD_PREDICATE, .src = 2, .value = 2},
    {.cmd = IRQ_CMD_PIO_READ_8, .port = 0x3f8, .dst = 3},
    {.cmd = IRQ_CMD_MEM_READ_32, .value = GRANTED_PAGE + 0xffc, .dst = 4},
    {.cmd = IRQ_CMD_ACCEPT},
    {.cmd = IRQ_CMD_DECLINE},
};
#define GOOD_COUNT (sizeof(good) / sizeof(good[0]))

static errno_t with(size_t index, irq_cmd_t change)
{
	irq_cmd_t prog[GOOD_COUNT];
	memcpy(prog, good, sizeof(good));
	prog[index] = change;
	return irq_code_validate(prog, GOOD_COUNT, &checks);
}

HOST_TEST(accepts_a_well_formed_program)
{
	CHECK_EQ(irq_code_validate(good, GOOD_COUNT, &checks), EOK);
}

HOST_TEST(rejects_each_bad_shape)
{
	CHECK_EQ(irq_code_validate(good, 0, &checks), EINVAL);
	CHECK_EQ(irq_code_validate(good, IRQ_CODE_MAX_CMDS + 1, &checks), EINVAL);
	CHECK_EQ(with(0, (irq_cmd_t){.cmd = 0}), EINVAL);
	CHECK_EQ(with(0, (irq_cmd_t){.cmd = IRQ_CMD_LAST + 1}), EINVAL);
	CHECK_EQ(with(0, (irq_cmd_t){.cmd = IRQ_CMD_PIO_READ_8, .port = 0x3f8, .dst = 6}),
	    EINVAL); /* scratch index */
	CHECK_EQ(with(1, (irq_cmd_t){.cmd = IRQ_CMD_AND, .src = 9, .dst = 1}), EINVAL);
	CHECK_EQ(with(2, (irq_cmd_t){.cmd = IRQ_CMD_PREDICATE, .src = 2, .value = 5}),
	    EINVAL); /* jumps past the end */
	CHECK_EQ(with(6, (irq_cmd_t){.cmd = IRQ_CMD_PREDICATE, .src = 1, .value = 1}),
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

HOST_TEST(memory_reads_only_aligned_inside_what_the_task_may_read)
{
	CHECK_EQ(
	    with(4,
		(irq_cmd_t){.cmd = IRQ_CMD_MEM_READ_8, .value = GRANTED_PAGE, .dst = 1}),
	    EOK);
	CHECK_EQ(
	    with(4,
		(irq_cmd_t){
		    .cmd = IRQ_CMD_MEM_READ_16, .value = GRANTED_PAGE + 0xffe, .dst = 5}),
	    EOK);
	CHECK_EQ(
	    with(4,
		(irq_cmd_t){
		    .cmd = IRQ_CMD_MEM_READ_8, .value = GRANTED_PAGE + 0x1000, .dst = 1}),
	    EPERM); /* the page after the grant */
	CHECK_EQ(
	    with(4,
		(irq_cmd_t){
		    .cmd = IRQ_CMD_MEM_READ_32, .value = GRANTED_PAGE - 4, .dst = 1}),
	    EPERM); /* the page before it */
	CHECK_EQ(with(4, (irq_cmd_t){.cmd = IRQ_CMD_MEM_READ_32, .value = 0, .dst = 1}),
	    EPERM);
	CHECK_EQ(with(4,
		     (irq_cmd_t){
			 .cmd = IRQ_CMD_MEM_READ_32, .value = UINT64_MAX - 3, .dst = 1}),
	    EINVAL); /* would wrap */
	CHECK_EQ(
	    with(4,
		(irq_cmd_t){
		    .cmd = IRQ_CMD_MEM_READ_32, .value = GRANTED_PAGE + 2, .dst = 1}),
	    EINVAL); /* misaligned */
	CHECK_EQ(
	    with(4,
		(irq_cmd_t){
		    .cmd = IRQ_CMD_MEM_READ_16, .value = GRANTED_PAGE + 0xfff, .dst = 1}),
	    EINVAL); /* misaligned, would straddle the page's end */
	CHECK_EQ(
	    with(4,
		(irq_cmd_t){.cmd = IRQ_CMD_MEM_READ_8, .value = GRANTED_PAGE, .dst = 6}),
	    EINVAL); /* scratch index */
}
