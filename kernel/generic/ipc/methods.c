/*
 * The method table: which hooks a call's method has. User methods have none;
 * each system method lives in its own file (ipc/m_*.c).
 */
#include <ipc/methods.h>

static const ipc_method_ops_t user_method_ops = {.forwardable = true};
static const ipc_method_ops_t plain_system_ops = {.forwardable = false};

const ipc_method_ops_t *ipc_method_ops(sysarg_t method)
{
	switch (method) {
	case IPC_M_PHONE_HUNGUP:
		return &ipc_m_phone_hungup_ops;
	case IPC_M_CONNECT_ME_TO:
		return &ipc_m_connect_me_to_ops;
	case IPC_M_CONNECT_TO_ME:
		return &ipc_m_connect_to_me_ops;
	default:
		return method > IPC_M_LAST_SYSTEM ? &user_method_ops : &plain_system_ops;
	}
}
