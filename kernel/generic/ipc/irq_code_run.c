/*
 * Executing validated IRQ code in interrupt context: straight-line, bounded
 * (at most IRQ_CODE_MAX_CMDS steps), no allocation. Memory reads go through
 * the uncached kernel mappings irq_code_map() made when the program was
 * subscribed, so interrupt context never maps anything.
 */
#include <ipc/irq.h>
#include <arch/pio.h>
#include <mm/kmmio.h>

static bool is_mem_read(uint32_t cmd)
{
	return cmd >= IRQ_CMD_MEM_READ_8 && cmd <= IRQ_CMD_MEM_READ_32;
}

errno_t irq_code_map(irq_code_t *code)
{
	for (size_t i = 0; i < code->count; i++) {
		code->mem[i] = NULL;
		if (!is_mem_read(code->cmds[i].cmd))
			continue;
		errno_t rc = kmmio_map(code->cmds[i].value, &code->mem[i]);
		if (rc != EOK) {
			code->count = i; /* what is mapped so far */
			irq_code_unmap(code);
			return rc;
		}
	}
	return EOK;
}

void irq_code_unmap(irq_code_t *code)
{
	for (size_t i = 0; i < code->count; i++) {
		if (code->mem[i] != NULL)
			kmmio_unmap(code->mem[i]);
		code->mem[i] = NULL;
	}
}

static uint64_t mem_read(uint32_t cmd, volatile void *va)
{
	if (cmd == IRQ_CMD_MEM_READ_8)
		return *(volatile uint8_t *) va;
	if (cmd == IRQ_CMD_MEM_READ_16)
		return *(volatile uint16_t *) va;
	return *(volatile uint32_t *) va;
}

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

irq_verdict_t irq_code_run(const irq_code_t *code, uint64_t scratch[IRQ_SCRATCH_COUNT])
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
		case IRQ_CMD_MEM_READ_8:
		case IRQ_CMD_MEM_READ_16:
		case IRQ_CMD_MEM_READ_32:
			scratch[c->dst] = mem_read(c->cmd, code->mem[i]);
			break;
		case IRQ_CMD_ACCEPT:
			return IRQ_ACCEPTED;
		case IRQ_CMD_ACCEPT_HOLD:
			return IRQ_ACCEPTED_HOLD;
		default:
			return IRQ_DECLINED; /* DECLINE */
		}
	}
	return IRQ_DECLINED; /* fell off the end */
}
