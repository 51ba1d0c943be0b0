/*
 * Error codes shared by the kernel and userspace.
 *
 * Every fallible function returns an errno_t: EOK (zero) for success, a negative
 * value for failure. Values are part of the ABI and must never be renumbered.
 */
#ifndef ABI_ERRNO_H
#define ABI_ERRNO_H

typedef int errno_t;

#define EOK	      0	    /* Success */
#define ENOENT	      (-1)  /* No such object, handle or path */
#define ENOMEM	      (-2)  /* Out of memory */
#define ELIMIT	      (-3)  /* A fixed limit was reached */
#define EREFUSED      (-4)  /* The peer refused the connection */
#define EFORWARD      (-5)  /* A forwarded call failed */
#define EPERM	      (-6)  /* Operation not permitted */
#define EHANGUP	      (-7)  /* The peer hung up */
#define EPARTY	      (-8)  /* The other party broke the protocol */
#define EEXIST	      (-9)  /* Already exists */
#define EBADMEM	      (-10) /* Bad user memory address */
#define ENOTSUP	      (-11) /* Not supported */
#define EADDRNOTAVAIL (-12) /* Address not available */
#define ETIMEOUT      (-13) /* The wait timed out */
#define EINVAL	      (-14) /* Invalid argument */
#define EBUSY	      (-15) /* Resource busy */
#define EOVERFLOW     (-16) /* A value does not fit */
#define EINTR	      (-17) /* Interrupted (by a kill or poke) */
#define ENOSYS	      (-18) /* No such system call */
#define ENOEXEC	      (-19) /* Not an executable */
#define ENAMETOOLONG  (-20) /* Name or path too long */
#define EBADF	      (-21) /* Bad file descriptor */
#define ENOTDIR	      (-22) /* Not a directory */
#define EISDIR	      (-23) /* Is a directory */
#define ENOTEMPTY     (-24) /* Directory not empty */
#define EROFS	      (-25) /* Read-only file system */
#define ENOSPC	      (-26) /* No space left */
#define EIO	      (-27) /* Input/output error */
#define EAGAIN	      (-28) /* Try again (non-blocking operation) */
#define ERANGE	      (-29) /* Result out of range */
#define EXDEV	      (-30) /* Cross-device operation */
#define EMLINK	      (-31) /* Too many links */
#define ENOTTY	      (-32) /* Not a terminal */
#define EDEADLK	      (-33) /* Deadlock detected */
#define ECONNRESET    (-34) /* The peer reset the connection */
#define EADDRINUSE    (-35) /* Address (port) already in use */
#define ENOTCONN      (-36) /* Not connected */

/* The socket layer's (sys/socket.h) */
#define ENOTSOCK	(-37) /* Not a socket */
#define EAFNOSUPPORT	(-38) /* Address family not supported */
#define EPROTONOSUPPORT (-39) /* Protocol or socket type not supported */
#define EISCONN		(-40) /* Already connected */
#define ENOPROTOOPT	(-41) /* Socket option not supported */
#define EDESTADDRREQ	(-42) /* No destination address */
#define EMSGSIZE	(-43) /* Message too long for one datagram */
#define EINPROGRESS	(-44) /* A non-blocking connect goes on */
#define EALREADY	(-45) /* The connect asked for is still going on */

#define ERRNO_MIN (-45)

#endif
