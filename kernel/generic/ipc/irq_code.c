/*
 * IRQ code validation (pure: no kernel state; host-tested). A program is
 * accepted only if every command is known, every scratch index is in range,
 * every predicate skips within the program, every port access lies in the
 * task's I/O space and every memory read is naturally aligned in memory the
 * task may read.
 */
#include <ipc/irq.h>

static unsigned pio_width(uint32_t cmd)
{
	switch (cmd) {
	case IRQ_CMD_PIO_READ_8:
	case IRQ_CMD_PIO_WRITE_8:
	case IRQ_CMD_PIO_WRITE_A_8:
		return 1;
	case IRQ_CMD_PIO_READ_16:
	case IRQ_CMD_PIO_WRITE_16:
	case IRQ_CMD_PIO_WRITE_A_16:
		return 2;
	case IRQ_CMD_PIO_READ_32:
	case IRQ_CMD_PIO_WRITE_32:
	case IRQ_CMD_PIO_WRITE_A_32:
		return 4;
	default:
		return 0;
	}
}

static unsigned mem_width(uint32_t cmd)
{
	switch (cmd) {
	case IRQ_CMD_MEM_READ_8:
		return 1;
	case IRQ_CMD_MEM_READ_16:
		return 2;
	case IRQ_CMD_MEM_READ_32:
		return 4;
	default:
		return 0;
	}
}

static bool uses_src(uint32_t cmd)
{
	return (cmd >= IRQ_CMD_PIO_WRITE_A_8 && cmd <= IRQ_CMD_PIO_WRITE_A_32) ||
	    cmd == IRQ_CMD_AND || cmd == IRQ_CMD_PREDICATE;
}

static bool uses_dst(uint32_t cmd)
{
	return (cmd >= IRQ_CMD_PIO_READ_8 && cmd <= IRQ_CMD_PIO_READ_32) ||
	    cmd == IRQ_CMD_LOAD || cmd == IRQ_CMD_AND || mem_width(cmd) != 0;
}

static errno_t check_mem(const irq_cmd_t *c, const irq_code_checks_t *checks)
{
	unsigned width = mem_width(c->cmd);
	if (width == 0)
		return EOK;
	if (c->value % width != 0 || c->value > UINT64_MAX - width)
		return EINVAL; /* an aligned read never straddles a page */
	if (!checks->may_read_mem(checks->ctx, c->value, width))
		return EPERM;
	return EOK;
}

static errno_t check_cmd(
    const irq_cmd_t *c, size_t index, size_t count, const irq_code_checks_t *checks)
{
	if (c->cmd == 0 || c->cmd > IRQ_CMD_LAST)
		return EINVAL;
	if (uses_src(c->cmd) && c->src >= IRQ_SCRATCH_COUNT)
		return EINVAL;
	if (uses_dst(c->cmd) && c->dst >= IRQ_SCRATCH_COUNT)
		return EINVAL;
	if (c->cmd == IRQ_CMD_PREDICATE && c->value > count - index - 1)
		return EINVAL; /* would skip past the end */
	unsigned width = pio_width(c->cmd);
	if (width != 0 && (c->port > 0xffff || c->port + width > 0x10000))
		return EINVAL;
	if (width != 0 && !checks->may_touch(checks->ctx, c->port, width))
		return EPERM;
	return check_mem(c, checks);
}

errno_t irq_code_validate(
    const irq_cmd_t *cmds, size_t count, const irq_code_checks_t *checks)
{
	if (count == 0 || count > IRQ_CODE_MAX_CMDS)
		return EINVAL;
	for (size_t i = 0; i < count; i++) {
		errno_t rc = check_cmd(&cmds[i], i, count, checks);
		if (rc != EOK)
			return rc;
	}
	return EOK;
}
