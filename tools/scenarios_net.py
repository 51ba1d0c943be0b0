"""Scenarios: the network server in the full system (docs/network.md).

init starts netsrv and websrv at boot; `netstat` reads its sockets and
counters; `nc` fetches websrv's page; the server killed from the shell is
started again by init and answers again, and websrv (whose listener went
with it) is started again and serves again.
"""
import scenarios_restart as restart

STEP_TIMEOUT = restart.STEP_TIMEOUT


def _t():
    """The harness's helpers (imported late: testrun imports this module)."""
    import testrun
    return testrun


WEB_REQUEST = "echo GET / HTTP/1.0 > /tmp/req; echo >> /tmp/req; nc localhost 80 < /tmp/req\r"
WEB_ANSWER = [r"^HTTP/1\.1 200 OK\r?$", r"^Content-Type: text/html\r?$", r"<h1>Switchboard</h1>"]


def scenario_netsrv_restarts(args):
    """netstat, ping (a name from /cfg/hosts) and websrv (through nc) answer
    at boot, bad hosts fail with a message, and all work again after netsrv
    was killed and init started it (and websrv) anew."""
    with _t().guest(args, "netsrv-restarts", "", allow=[r"restarting it$"]) as g:
        _t().wait_shell_prompt(g)
        # websrv: its listener, and the socket its waiting accept will fill.
        restart.run(g, "netstat -s\r", [r"^sockets 2 \(closing 0\)$"])
        restart.run(g, "netstat\r", [r"^proto recv-q send-q local"])
        restart.run(g, WEB_REQUEST, WEB_ANSWER)
        # ping over loopback, the name from /cfg/hosts.
        restart.run(g, "ping -c 3 -i 10 localhost\r", [
            r"^PING localhost \(127\.0\.0\.1\): 56 data bytes$",
            r"^64 bytes from 127\.0\.0\.1: seq=2 time=\d+\.\d{3} ms$",
            r"^3 packets transmitted, 3 received, 0% packet loss$",
            r"^rtt min/avg/max = \d+\.\d{3}/\d+\.\d{3}/\d+\.\d{3} ms$"])
        restart.run(g, "echo ping-$?\r", [r"^ping-0$"])
        restart.run(g, "ping -c 1 no-such-host\r", [r"^ping: no-such-host: ENOENT"])
        restart.run(g, "ping -c 1 -W 300 10.1.2.3\r", [r"^ping: 10\.1\.2\.3: EADDRNOTAVAIL"])
        victim = restart.task_id(g, "netsrv")
        _t().type_keys(g, f"priv kill {victim}\r")
        g.expect(rf"init: /srv/netsrv \(task {victim}\) ended: killed; restarting it$",
                 STEP_TIMEOUT)
        g.expect(r"init: /srv/netsrv \(task \d+\) is ready$", STEP_TIMEOUT)
        g.expect(r"init: /app/websrv \(task \d+\) is ready$", STEP_TIMEOUT)
        restart.run(g, "netstat -s\r", [r"^ip packets in 0, out 0$"])
        restart.run(g, "ping -c 1 127.0.0.1\r", [r"^1 packets transmitted, 1 received"])
        restart.run(g, "echo net-$?\r", [r"^net-0$"])
        restart.run(g, WEB_REQUEST, WEB_ANSWER)
    return True, ""


SCENARIOS = [("netsrv-restarts", scenario_netsrv_restarts)]
