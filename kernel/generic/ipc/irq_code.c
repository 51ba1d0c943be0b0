/*
 * IRQ code validation (pure: no kernel state; host-tested). A program is
 * accepted only if every command is known, every scratch index is in range,
 * every predicate skips within the program, and every port access lies in the
 * task's I/O space.
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

static bool uses_src(uint32_t cmd)
{
	return (cmd >= IRQ_CMD_PIO_WRITE_A_8 && cmd <= IRQ_CMD_PIO_WRITE_A_32) ||
	    cmd == IRQ_CMD_AND || cmd == IRQ_CMD_PREDICATE;
}

static bool uses_dst(uint32_t cmd)
{
	return (cmd >= IRQ_CMD_PIO_READ_8 && cmd <= IRQ_CMD_PIO_READ_32) ||
	    cmd == IRQ_CMD_LOAD || cmd == IRQ_CMD_AND;
}

static errno_t check_cmd(
    const irq_cmd_t *c, size_t index, size_t count, irq_port_check_t may_touch, void *ctx)
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
	if (width != 0 && !may_touch(ctx, c->port, width))
		return EPERM;
	return EOK;
}

errno_t irq_code_validate(
    const irq_cmd_t *cmds, size_t count, irq_port_check_t may_touch, void *ctx)
{
	if (count == 0 || count > IRQ_CODE_MAX_CMDS)
		return EINVAL;
	for (size_t i = 0; i < count; i++) {
		errno_t rc = check_cmd(&cmds[i], i, count, may_touch, ctx);
		if (rc != EOK)
			return rc;
	}
	return EOK;
}
