/*
 * Terminal and character-device client (protocol: abi/chardev.h). The read
 * and write calls work on any character-device session (a serial driver, the
 * console); the TERM_* ones need a terminal (the console server).
 */
#ifndef LIBC_TERM_H
#define LIBC_TERM_H

#include <discard.h>

#include <abi/chardev.h>
#include <async.h>
#include <stddef.h>

/** A session to the console's terminal (waits until it is registered). */
_NODISCARD errno_t term_open(async_sess_t **sess);
/** Reads up to @a size bytes (at most IPC_DATA_MAX are asked for) into
 *  @a buf; *@a got says how many came (0 in cooked mode: end of input).
 *  Waits for data unless @a flags has CHARDEV_NONBLOCK (then EAGAIN). */
_NODISCARD errno_t term_read(
    async_sess_t *sess, void *buf, size_t size, unsigned flags, size_t *got);
/** Writes all @a size bytes of @a buf (in IPC_DATA_MAX pieces). */
_NODISCARD errno_t term_write(async_sess_t *sess, const void *buf, size_t size);
/** Sets the terminal mode (TERM_MODE_COOKED, TERM_MODE_RAW). */
_NODISCARD errno_t term_set_mode(async_sess_t *sess, unsigned mode);
_NODISCARD errno_t term_get_mode(async_sess_t *sess, unsigned *mode);
/** Makes task @a id (0: none) the one Ctrl-C kills. */
_NODISCARD errno_t term_set_foreground(async_sess_t *sess, task_id_t id);
/** Adds task @a id to those Ctrl-C kills (a pipeline's stages). */
_NODISCARD errno_t term_add_foreground(async_sess_t *sess, task_id_t id);

#endif
