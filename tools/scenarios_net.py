"""Scenarios: the network server in the full system (docs/network.md).

init starts netsrv and websrv at boot; `netstat` reads its sockets and
counters; `nc` fetches websrv's page; the server killed from the shell is
started again by init and answers again, and websrv (whose listener went
with it) is started again and serves again.
Over the NIC (QEMU's e1000 on its restricted user network): DHCP gives
eth0 its address, the gateway answers ping, malformed frames are dropped
and counted, and a host-side client reaches guest TCP servers through
host forwards bound to 127.0.0.1.
"""
import os
import re
import socket
import time

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
        # Counters start again (DHCP's few packets are the new server's).
        restart.run(g, "netstat -s\r", [r"^ip packets in \d, out \d$"])
        restart.run(g, "ping -c 1 127.0.0.1\r", [r"^1 packets transmitted, 1 received"])
        restart.run(g, "echo net-$?\r", [r"^net-0$"])
        restart.run(g, WEB_REQUEST, WEB_ANSWER)
    return True, ""


def free_port():
    """A TCP port free on the host's loopback now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def host_echo(port, data, timeout=60):
    """Connects to 127.0.0.1:@port, sends @data, half-closes and returns
    what comes back until the peer closes (retrying the connection while
    the guest's listener is not there yet: QEMU accepts on the host side
    and resets when the guest refuses)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
                s.sendall(data)
                s.shutdown(socket.SHUT_WR)
                back = b""
                while True:
                    chunk = s.recv(65536)
                    if not chunk:
                        break
                    back += chunk
                if back or not data:
                    return back
        except OSError:
            pass
        if time.monotonic() > deadline:
            return b""
        time.sleep(0.5)


def fetch_many(port, count):
    """@count host clients fetch the guest's page through 127.0.0.1:@port
    at once; how many got a 200 with the page."""
    import threading
    got = []

    def one():
        page = host_echo(port, b"GET / HTTP/1.0\r\n\r\n")
        got.append(page.startswith(b"HTTP/1.1 200 ") and b"<h1>Switchboard</h1>" in page)
    threads = [threading.Thread(target=one) for _ in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(got)


def scenario_nic(args, name, model, driver):
    """eth0 over a NIC of @model whose driver task is @driver: DHCP's
    address and routes, ping of QEMU's gateway, malformed frames dropped
    and counted, bad calls to the driver refused, websrv's page fetched
    through a host forward, 256 KiB echoed through another to a guest TCP
    listener, identical both ways, 50 host clients served the page at once,
    and the driver killed and restarted under a working eth0."""
    web, port = free_port(), free_port()
    fwd = [f"tcp:127.0.0.1:{web}-:80", f"tcp:127.0.0.1:{port}-:7"]
    with _t().guest(args, name, "", forwards=fwd, nic=model,
                    allow=[r"restarting it \(1 of 3\)$"]) as g:
        _t().wait_shell_prompt(g)
        if not re.search(rf"^{driver}: .*/port0: MAC 52:54:00:12:34:56, link up\r?$",
                         g.output, re.MULTILINE):
            return False, f"no NIC of {driver} at boot"
        # DHCP runs in the background: netwait waits for the lease, which
        # netsrv notes in the system log rather than on the console.
        restart.run(g, "netwait -t 30\r", [r"^eth0: 10\.0\.2\.15/24$"])
        restart.run(g, "dmesg\r", [r"netsrv: eth0: 10\.0\.2\.15/24 gateway none "
                                   r"\(DHCP, lease \d+ s\)"])
        restart.run(g, "netwait -t 1 lo\r", [r"^lo: 127\.0\.0\.1/8$"])
        restart.run(g, "netwait eth1\r", [r"^netwait: eth1: ENOENT"])
        restart.run(g, "netstat -i\r", [
            r"^eth0: up dhcp inet 10\.0\.2\.15 netmask 255\.255\.255\.0 ",
            r"^  ether 52:54:00:12:34:56 ",
            r"^      10\.0\.2\.0/24 +attached +eth0$"])
        restart.run(g, "ping -c 3 10.0.2.2\r", [
            r"^64 bytes from 10\.0\.2\.2: seq=2 time=\d+\.\d{3} ms$",
            r"^3 packets transmitted, 3 received, 0% packet loss$"])
        restart.run(g, "nictest badframes\r", [r"^nictest: bad frames dropped and counted$"])
        restart.run(g, "nictest nicerrors\r",
                    [r"^nictest: NIC errors refused as they should be$"])
        page = host_echo(web, b"GET / HTTP/1.0\r\n\r\n")
        if not page.startswith(b"HTTP/1.1 200 "):
            return False, f"websrv through the forward: {page[:80]!r}"
        _t().type_keys(g, "nictest echo 7\r")
        g.expect(r"^nictest: listening on port 7$", STEP_TIMEOUT)
        data = os.urandom(256 * 1024)
        back = host_echo(port, data)
        if back != data:
            return False, f"echo through the forward: {len(back)} bytes back of {len(data)}"
        g.expect(rf"^nictest: echoed {len(data)} bytes$", STEP_TIMEOUT)
        g.expect(r"/ # ", STEP_TIMEOUT)
        ok = fetch_many(web, 50)
        if ok != 50:
            return False, f"50 host clients at once: {ok} got the page"
        # The driver killed: devman starts it again, eth0 takes the new
        # NIC up with its address, and the gateway answers again.
        victim = restart.task_id(g, driver)
        _t().type_keys(g, f"priv kill {victim}\r")
        g.expect(r"netsrv: eth0: the NIC has gone", STEP_TIMEOUT)
        g.expect(r"netsrv: eth0: NIC 52:54:00:12:34:56", STEP_TIMEOUT)
        restart.run(g, "ping -c 2 10.0.2.2\r",
                    [r"^2 packets transmitted, 2 received, 0% packet loss$"])
        ifconfig_steps(g)
    return True, ""


def ifconfig_steps(g):
    """ifconfig sets eth0's address by hand and back to DHCP, adds and
    deletes a route (192.0.2.0/24, a documentation network: nothing sent
    there leaves QEMU's restricted network), and refuses bad input."""
    restart.run(g, "ifconfig\r", [r"^lo: 127\.0\.0\.1/8 \(fixed\)$",
                                  r"^eth0: 10\.0\.2\.15/24 \(dhcp\)$"])
    restart.run(g, "ifconfig eth0 10.0.2.20/24\r", [])
    restart.run(g, "ifconfig\r", [r"^eth0: 10\.0\.2\.20/24 \(static\)$"])
    restart.run(g, "ping -c 1 10.0.2.2\r", [r"^1 packets transmitted, 1 received"])
    restart.run(g, "ping -c 1 -W 300 192.0.2.1\r", [r"^ping: 192\.0\.2\.1: EADDRNOTAVAIL"])
    restart.run(g, "ifconfig route add 192.0.2.0/24 10.0.2.2\r", [])
    restart.run(g, "netstat -i\r", [r"^      192\.0\.2\.0/24 +10\.0\.2\.2 +eth0$"])
    # Routed now: the echo leaves through the gateway and is not answered.
    restart.run(g, "ping -c 1 -W 300 192.0.2.1\r",
                [r"^1 packets transmitted, 0 received, 100% packet loss$"])
    for cmd, err in [("ifconfig route add 192.0.2.0/24 10.0.2.2", "192.0.2.0/24: EEXIST"),
                     ("ifconfig route add 10.0.2.0/16", "10.0.2.0/16: EINVAL"),
                     ("ifconfig route del 127.0.0.0/8", "127.0.0.0/8: EPERM"),
                     ("ifconfig eth0 127.0.0.5/8", "eth0: EINVAL"),
                     ("ifconfig eth0 10.0.2.0/24", "eth0: EINVAL"),
                     ("ifconfig eth0 10.0.2.255/24", "eth0: EINVAL"),
                     ("ifconfig lo 10.1.1.1/8", "lo: ENOTSUP"),
                     ("ifconfig eth1 10.1.1.1/8", "eth1: ENOENT")]:
        restart.run(g, cmd + "\r", [rf"^ifconfig: {re.escape(err)}"])
    restart.run(g, "ifconfig eth0 10.0.2.20/33\r", [r"^usage: ifconfig "])
    restart.run(g, "ifconfig route del 192.0.2.0/24\r", [])
    restart.run(g, "ifconfig route del 192.0.2.0/24\r", [r"^ifconfig: 192\.0\.2\.0/24: ENOENT"])
    restart.run(g, "ifconfig eth0 dhcp\r", [])
    restart.run(g, "netwait -t 30\r", [r"^eth0: 10\.0\.2\.15/24$"])
    restart.run(g, "ifconfig\r", [r"^eth0: 10\.0\.2\.15/24 \(dhcp\)$"])


def scenario_nic_e1000(args):
    """The NIC scenario on QEMU's e1000."""
    return scenario_nic(args, "nic-e1000", "e1000", "e1000")


def scenario_nic_virtio(args):
    """The NIC scenario on virtio-net over PCI (the virtio-net driver)."""
    return scenario_nic(args, "nic-virtio", "virtio-net-pci", "virtio-net")


SCENARIOS = [("netsrv-restarts", scenario_netsrv_restarts),
             ("nic-e1000", scenario_nic_e1000),
             ("nic-virtio", scenario_nic_virtio)]
