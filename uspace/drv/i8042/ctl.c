/*
 * The i8042 controller: setup, the IRQ program and the keyboard's bytes.
 *
 * Status bits: output buffer full (a byte waits at the data port), input
 * buffer full (the controller has not yet taken the last write), aux data
 * (the waiting byte is the mouse's). Commands go to the command port; a
 * command's parameter goes to the data port once the input buffer is
 * empty.
 *
 * The keyboard port is masked by the IRQ program (command "disable the
 * keyboard") whenever it accepts a byte, and unmasked by the handler
 * (i8042_kbd_enable) once the byte is queued. The keyboard keeps what is
 * typed meanwhile in its own buffer, so at most one notification is
 * outstanding and no byte is overwritten by a later interrupt's.
 */
#include "i8042.h"
#include <ddi.h>

#define STATUS_OUT_FULL 0x01
#define STATUS_IN_FULL	0x02
#define STATUS_AUX_DATA 0x20

#define CMD_READ_CONFIG	 0x20
#define CMD_WRITE_CONFIG 0x60
#define CMD_AUX_DISABLE	 0xa7
#define CMD_KBD_DISABLE	 0xad
#define CMD_KBD_ENABLE	 0xae

#define CONFIG_KBD_IRQ	   0x01
#define CONFIG_AUX_IRQ	   0x02
#define CONFIG_KBD_NOCLOCK 0x10
#define CONFIG_TRANSLATE   0x40

#define SPIN_MAX  1000000
#define FLUSH_MAX 64 /* bytes a stale output buffer may hold */

/* Scratch registers of the IRQ program: 0 the status, 1 the byte
 * (notification args[0]). */
#define SCR_STATUS 0
#define SCR_BYTE   1
#define SCR_TEST   2

static errno_t wait_status(const i8042_ports_t *p, uint8_t bit, bool set)
{
	for (int spin = 0; spin < SPIN_MAX; spin++) {
		if (((pio_read_8(p->ctl) & bit) != 0) == set)
			return EOK;
	}
	return ETIMEOUT;
}

/** Sends command @a cmd once the controller takes input. */
static errno_t ctl_command(const i8042_ports_t *p, uint8_t cmd)
{
	errno_t rc = wait_status(p, STATUS_IN_FULL, false);
	if (rc == EOK)
		pio_write_8(p->ctl, cmd);
	return rc;
}

static errno_t ctl_write_data(const i8042_ports_t *p, uint8_t value)
{
	errno_t rc = wait_status(p, STATUS_IN_FULL, false);
	if (rc == EOK)
		pio_write_8(p->data, value);
	return rc;
}

static errno_t ctl_read_data(const i8042_ports_t *p, uint8_t *value)
{
	errno_t rc = wait_status(p, STATUS_OUT_FULL, true);
	if (rc == EOK)
		*value = pio_read_8(p->data);
	return rc;
}

/** Drops whatever the output buffer holds from before we took over. */
static void ctl_flush(const i8042_ports_t *p)
{
	for (int i = 0; i < FLUSH_MAX && (pio_read_8(p->ctl) & STATUS_OUT_FULL); i++)
		(void) pio_read_8(p->data);
}

/** Keyboard interrupt on and set 1 through translation; the mouse port's
 *  interrupt off (this driver does not serve the mouse). */
static errno_t ctl_configure(const i8042_ports_t *p)
{
	uint8_t config;
	errno_t rc = ctl_command(p, CMD_READ_CONFIG);
	if (rc == EOK)
		rc = ctl_read_data(p, &config);
	if (rc != EOK)
		return rc;
	config |= CONFIG_KBD_IRQ | CONFIG_TRANSLATE;
	config &= (uint8_t) ~(CONFIG_AUX_IRQ | CONFIG_KBD_NOCLOCK);
	rc = ctl_command(p, CMD_WRITE_CONFIG);
	if (rc == EOK)
		rc = ctl_write_data(p, config);
	return rc;
}

/** Checks that a controller answers and sets it up with both ports
 *  disabled; i8042_kbd_enable() then lets the keyboard talk. The ports must
 *  be enabled for this task. ENOENT if no controller is there, ETIMEOUT if
 *  it stops answering. */
errno_t i8042_ctl_init(const i8042_ports_t *p)
{
	if (pio_read_8(p->ctl) == 0xff)
		return ENOENT; /* nothing decodes the port: all ones */
	errno_t rc = ctl_command(p, CMD_KBD_DISABLE);
	if (rc == EOK)
		rc = ctl_command(p, CMD_AUX_DISABLE);
	if (rc != EOK)
		return rc;
	ctl_flush(p);
	return ctl_configure(p);
}

static irq_cmd_t *prog_emit(i8042_irq_prog_t *prog, uint32_t cmd)
{
	irq_cmd_t *c = &prog->cmds[prog->count++];
	*c = (irq_cmd_t){.cmd = cmd};
	return c;
}

/** Emits "scratch[SCR_TEST] = scratch[SCR_STATUS] & @a mask; if it is zero,
 *  skip the next @a skip commands". */
static void prog_emit_test(i8042_irq_prog_t *prog, uint64_t mask, uint64_t skip)
{
	irq_cmd_t *c = prog_emit(prog, IRQ_CMD_AND);
	c->src = SCR_STATUS;
	c->dst = SCR_TEST;
	c->value = mask;
	c = prog_emit(prog, IRQ_CMD_PREDICATE);
	c->src = SCR_TEST;
	c->value = skip;
}

/**
 * Builds the IRQ program (IRQ_CMD_* as in abi/irq.h):
 *
 *   status <- STATUS
 *   if !(status & OUT_FULL) goto decline     nothing waits: not ours
 *   if (status & AUX_DATA) decline           the mouse's byte: not ours
 *   COMMAND <- KBD_DISABLE                   mask until the handler is done
 *   scratch[1] <- DATA
 *   ACCEPT
 *   decline: DECLINE
 */
void i8042_irq_prog_build(const i8042_ports_t *p, i8042_irq_prog_t *prog)
{
	prog->count = 0;
	irq_cmd_t *c = prog_emit(prog, IRQ_CMD_PIO_READ_8);
	c->port = p->ctl;
	c->dst = SCR_STATUS;
	/* Skips the rest up to the final DECLINE: the aux test (2 commands),
	 * the DECLINE it guards, the write, the read and the ACCEPT. */
	prog_emit_test(prog, STATUS_OUT_FULL, 6);
	/* Skips the DECLINE when the aux bit is clear. */
	prog_emit_test(prog, STATUS_AUX_DATA, 1);
	prog_emit(prog, IRQ_CMD_DECLINE);
	c = prog_emit(prog, IRQ_CMD_PIO_WRITE_8);
	c->port = p->ctl;
	c->value = CMD_KBD_DISABLE;
	c = prog_emit(prog, IRQ_CMD_PIO_READ_8);
	c->port = p->data;
	c->dst = SCR_BYTE;
	prog_emit(prog, IRQ_CMD_ACCEPT);
	prog_emit(prog, IRQ_CMD_DECLINE);
}

/** Lets the keyboard send again (it raises the interrupt at once if it
 *  holds a byte). */
errno_t i8042_kbd_enable(const i8042_ports_t *p)
{
	return ctl_command(p, CMD_KBD_ENABLE);
}
