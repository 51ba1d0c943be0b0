/*
 * The character-device protocol: byte streams such as a serial line or a
 * terminal. A session to a character device (serial driver, console) takes:
 *
 *   CHARDEV_READ (flags) + DATA_READ of up to N bytes -> (bytes)
 *       Waits until at least one byte is there unless flags has
 *       CHARDEV_NONBLOCK (then EAGAIN when none is); never more than the
 *       data read asked for. EIO if the device failed.
 *   CHARDEV_WRITE + DATA_WRITE of up to IPC_DATA_MAX bytes -> (bytes)
 *       All of them unless the device failed (EIO).
 *
 * Terminals (the console server) also take the TERM_* calls.
 */
#ifndef ABI_CHARDEV_H
#define ABI_CHARDEV_H

#include <abi/ipc.h>

#define CHARDEV_IFACE 0x63686172 /* "char" */

/* The console's terminal in the location service, hence the file
 * /loc/term/console: programs' stdin, stdout and stderr. */
#define LOC_TERMINAL_NAME     "term/console"
#define LOC_TERMINAL_CATEGORY "console"
#define TERMINAL_PATH	      "/loc/term/console"

/*
 * Terminals only:
 *   TERM_SET_MODE (TERM_MODE_*)
 *   TERM_GET_MODE -> (TERM_MODE_*)
 *   TERM_SET_FOREGROUND (task id; 0: none): the task Ctrl-C kills (the
 *       shell sets it to the program it runs in the foreground; the console
 *       needs PERM_TASK)
 *   TERM_ADD_FOREGROUND (task id): one more task Ctrl-C kills (the stages
 *       of a pipeline); EINVAL for 0, ELIMIT past TERM_FOREGROUND_MAX
 *   A Ctrl-C typed in cooked mode with no foreground is kept and kills every
 *   task named by either call until the terminal goes raw or the foreground
 *   is set to none (a Ctrl-C right after a shell's Enter reaches its program).
 */
#define CHARDEV_METHODS(M) \
	M(CHARDEV_READ, "chardev.read") \
	M(CHARDEV_WRITE, "chardev.write") \
	M(TERM_SET_MODE, "term.set_mode") \
	M(TERM_GET_MODE, "term.get_mode") \
	M(TERM_SET_FOREGROUND, "term.set_foreground") \
	M(TERM_ADD_FOREGROUND, "term.add_foreground")

IFACE_METHOD_ENUM(CHARDEV, CHARDEV_METHODS, IPC_FIRST_USER_METHOD);

#define TERM_FOREGROUND_MAX 16

#define CHARDEV_NONBLOCK 0x1

/*
 * Terminal modes. Cooked: the terminal echoes what is typed, handles
 * backspace (erases the last character of the line), gives out input a
 * line at a time (with its '\n'), Ctrl-D ends input (a read then gets 0
 * bytes, once), Ctrl-C kills the terminal's foreground tasks (if any) and
 * drops the line. Raw: every byte as it comes, no echo, no Ctrl-C.
 * Switching loses no typed byte: bytes queued raw and not yet read are
 * edited (and echoed) as cooked input on the switch to cooked, and the
 * line being edited is queued as raw bytes on the switch to raw.
 */
#define TERM_MODE_COOKED 0
#define TERM_MODE_RAW	 1

#endif
