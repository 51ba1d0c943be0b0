/*
 * Executing validated IRQ code in interrupt context: straight-line, bounded
 * (at most IRQ_CODE_MAX_CMDS steps), no allocation.
 */
#include <ipc/irq.h>
#include <arch/pio.h>

static void pio_read(uint32_t cmd, uint32_t port, uint64_t *dst)
{
	if (cmd == IRQ_CMD_PIO_READ_8)
		*dst = pio_read_8(port);
	else if (cmd == IRQ_CMD_PIO_READ_16)
		*dst = pio_read_16(port);
	else
		*dst = pio_read_32(port);
}

static void pio_write(unsigned width, uint32_t port, uint64_t v)
{
	if (width == 1)
		pio_write_8(port, (uint8_t) v);
	else if (width == 2)
		pio_write_16(port, (uint16_t) v);
	else
		pio_write_32(port, (uint32_t) v);
}

bool irq_code_run(const irq_code_t *code, uint64_t scratch[IRQ_SCRATCH_COUNT])
{
	static const unsigned widths[3] = {1, 2, 4};
	for (size_t i = 0; i < code->count; i++) {
		const irq_cmd_t *c = &code->cmds[i];
		switch (c->cmd) {
		case IRQ_CMD_PIO_READ_8:
		case IRQ_CMD_PIO_READ_16:
		case IRQ_CMD_PIO_READ_32:
			pio_read(c->cmd, c->port, &scratch[c->dst]);
			break;
		case IRQ_CMD_PIO_WRITE_8:
		case IRQ_CMD_PIO_WRITE_16:
		case IRQ_CMD_PIO_WRITE_32:
			pio_write(
			    widths[c->cmd - IRQ_CMD_PIO_WRITE_8], c->port, c->value);
			break;
		case IRQ_CMD_PIO_WRITE_A_8:
		case IRQ_CMD_PIO_WRITE_A_16:
		case IRQ_CMD_PIO_WRITE_A_32:
			pio_write(widths[c->cmd - IRQ_CMD_PIO_WRITE_A_8], c->port,
			    scratch[c->src]);
			break;
		case IRQ_CMD_LOAD:
			scratch[c->dst] = c->value;
			break;
		case IRQ_CMD_AND:
			scratch[c->dst] = scratch[c->src] & c->value;
			break;
		case IRQ_CMD_PREDICATE:
			if (scratch[c->src] == 0)
				i += c->value;
			break;
		case IRQ_CMD_ACCEPT:
			return true;
		default:
			return false; /* DECLINE */
		}
	}
	return false; /* fell off the end */
}
