/*
 * IPC_M_PHONE_HUNGUP: sent by the kernel when a client hangs up (or dies).
 * The server answers it like any call; nobody collects that answer.
 */
#include <ipc/methods.h>

const ipc_method_ops_t ipc_m_phone_hungup_ops = {.forwardable = false};
