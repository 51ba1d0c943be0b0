"""Scenarios: the network server in the full system (docs/network.md).

init starts netsrv at boot; `netstat` reads its sockets and counters; the
server killed from the shell is started again by init and answers again.
"""
import scenarios_restart as restart

STEP_TIMEOUT = restart.STEP_TIMEOUT


def _t():
    """The harness's helpers (imported late: testrun imports this module)."""
    import testrun
    return testrun


def scenario_netsrv_restarts(args):
    """netstat answers at boot and again after netsrv was killed and init
    started it anew."""
    with _t().guest(args, "netsrv-restarts", "", allow=[r"restarting it$"]) as g:
        _t().wait_shell_prompt(g)
        restart.run(g, "netstat -s\r", [r"^sockets 0 \(closing 0\)$"])
        restart.run(g, "netstat\r", [r"^proto recv-q send-q local"])
        victim = restart.task_id(g, "netsrv")
        _t().type_keys(g, f"kill {victim}\r")
        g.expect(rf"init: /srv/netsrv \(task {victim}\) ended: killed; restarting it$",
                 STEP_TIMEOUT)
        g.expect(r"init: /srv/netsrv \(task \d+\) is ready$", STEP_TIMEOUT)
        restart.run(g, "netstat -s\r", [r"^ip packets in 0, out 0$"])
        restart.run(g, "echo net-$?\r", [r"^net-0$"])
    return True, ""


SCENARIOS = [("netsrv-restarts", scenario_netsrv_restarts)]
