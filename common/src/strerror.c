/*
 * The names and short texts of the error codes of abi/errno.h, for the
 * kernel and libc alike: str_error() gives the name ("ENOENT"), strerror()
 * the name and the text ("ENOENT: no such file or directory"), which is
 * what programs print for a user.
 *
 * One table, indexed by -code, lists each code once; a static assertion
 * keeps it as long as abi/errno.h's range.
 */
#include <common/strerror.h>
#include <stddef.h>

typedef struct {
	const char *name;    /* "ENOENT" */
	const char *message; /* "ENOENT: no such file or directory" */
} error_text_t;

#define ERROR_TEXT(code, text) [-(code)] = {#code, #code ": " text}

static const error_text_t error_texts[] = {
    ERROR_TEXT(EOK, "success"),
    ERROR_TEXT(ENOENT, "no such file or directory"),
    ERROR_TEXT(ENOMEM, "out of memory"),
    ERROR_TEXT(ELIMIT, "a fixed limit was reached"),
    ERROR_TEXT(EREFUSED, "connection refused"),
    ERROR_TEXT(EFORWARD, "a forwarded call failed"),
    ERROR_TEXT(EPERM, "operation not permitted"),
    ERROR_TEXT(EHANGUP, "the other side hung up"),
    ERROR_TEXT(EPARTY, "the other side broke the protocol"),
    ERROR_TEXT(EEXIST, "already exists"),
    ERROR_TEXT(EBADMEM, "bad memory address"),
    ERROR_TEXT(ENOTSUP, "not supported"),
    ERROR_TEXT(EADDRNOTAVAIL, "address not available"),
    ERROR_TEXT(ETIMEOUT, "timed out"),
    ERROR_TEXT(EINVAL, "invalid argument"),
    ERROR_TEXT(EBUSY, "resource busy"),
    ERROR_TEXT(EOVERFLOW, "value too large"),
    ERROR_TEXT(EINTR, "interrupted"),
    ERROR_TEXT(ENOSYS, "no such system call"),
    ERROR_TEXT(ENOEXEC, "not an executable"),
    ERROR_TEXT(ENAMETOOLONG, "name too long"),
    ERROR_TEXT(EBADF, "bad file descriptor"),
    ERROR_TEXT(ENOTDIR, "not a directory"),
    ERROR_TEXT(EISDIR, "is a directory"),
    ERROR_TEXT(ENOTEMPTY, "directory not empty"),
    ERROR_TEXT(EROFS, "read-only file system"),
    ERROR_TEXT(ENOSPC, "no space left"),
    ERROR_TEXT(EIO, "input/output error"),
    ERROR_TEXT(EAGAIN, "try again"),
    ERROR_TEXT(ERANGE, "result out of range"),
    ERROR_TEXT(EXDEV, "across file systems"),
    ERROR_TEXT(EMLINK, "too many links"),
    ERROR_TEXT(ENOTTY, "not a terminal"),
    ERROR_TEXT(EDEADLK, "deadlock"),
    ERROR_TEXT(ECONNRESET, "connection reset by peer"),
    ERROR_TEXT(EADDRINUSE, "address already in use"),
    ERROR_TEXT(ENOTCONN, "not connected"),
    ERROR_TEXT(ENOTSOCK, "not a socket"),
    ERROR_TEXT(EAFNOSUPPORT, "address family not supported"),
    ERROR_TEXT(EPROTONOSUPPORT, "protocol not supported"),
    ERROR_TEXT(EISCONN, "already connected"),
    ERROR_TEXT(ENOPROTOOPT, "socket option not supported"),
    ERROR_TEXT(EDESTADDRREQ, "destination address required"),
    ERROR_TEXT(EMSGSIZE, "message too long"),
    ERROR_TEXT(EINPROGRESS, "operation in progress"),
    ERROR_TEXT(EALREADY, "operation already in progress"),
};

_Static_assert(sizeof(error_texts) / sizeof(error_texts[0]) == 1 - ERRNO_MIN,
    "error_texts must list every code of abi/errno.h");

/** The entry of @a rc, or NULL for a value that is no code. */
static const error_text_t *error_text(errno_t rc)
{
	if (rc > 0 || rc < ERRNO_MIN || error_texts[-rc].name == NULL)
		return NULL;
	return &error_texts[-rc];
}

const char *str_error(errno_t rc)
{
	const error_text_t *e = error_text(rc);
	return e != NULL ? e->name : "unknown error";
}

const char *strerror(errno_t rc)
{
	const error_text_t *e = error_text(rc);
	return e != NULL ? e->message : "unknown error";
}
