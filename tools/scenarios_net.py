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
        # Crafted frames need PERM_NET: refused to a program without it.
        restart.run(g, "nictest badframes\r", [r"^nictest: short frame: EPERM",
                                                r"^nictest: bad frames NOT all counted$"])
        restart.run(g, "priv nictest badframes\r",
                    [r"^nictest: bad frames dropped and counted$"])
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
        # Its device stops DMA (bus mastering off) before the restart and
        # may DMA again only once the restarted driver has reset it.
        victim = restart.task_id(g, driver)
        _t().type_keys(g, f"priv kill {victim}\r")
        g.expect_all([r"netsrv: eth0: the NIC has gone",
                      r"pci: (\d\d:\d\d\.\d): bus mastering off \(its driver has gone\)"],
                     STEP_TIMEOUT)
        g.expect_all([r"netsrv: eth0: NIC 52:54:00:12:34:56",
                      r"pci: \d\d:\d\d\.\d: bus mastering on \(its new driver reset it\)"],
                     STEP_TIMEOUT)
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
    # Changes need PERM_NET: a program without it is refused, nothing changes.
    restart.run(g, "ifconfig eth0 10.0.2.20/24\r", [r"^ifconfig: eth0: EPERM"])
    restart.run(g, "ifconfig route add 192.0.2.0/24 10.0.2.2\r",
                [r"^ifconfig: 192\.0\.2\.0/24: EPERM"])
    restart.run(g, "ifconfig eth0 dhcp\r", [r"^ifconfig: eth0: EPERM"])
    restart.run(g, "ifconfig\r", [r"^eth0: 10\.0\.2\.15/24 \(dhcp\)$"])
    restart.run(g, "priv ifconfig eth0 10.0.2.20/24\r", [])
    restart.run(g, "ifconfig\r", [r"^eth0: 10\.0\.2\.20/24 \(static\)$"])
    restart.run(g, "ping -c 1 10.0.2.2\r", [r"^1 packets transmitted, 1 received"])
    restart.run(g, "ping -c 1 -W 300 192.0.2.1\r", [r"^ping: 192\.0\.2\.1: EADDRNOTAVAIL"])
    restart.run(g, "priv ifconfig route add 192.0.2.0/24 10.0.2.2\r", [])
    restart.run(g, "netstat -i\r", [r"^      192\.0\.2\.0/24 +10\.0\.2\.2 +eth0$"])
    # Routed now: the echo leaves through the gateway and is not answered.
    restart.run(g, "ping -c 1 -W 300 192.0.2.1\r",
                [r"^1 packets transmitted, 0 received, 100% packet loss$"])
    for cmd, err in [("priv ifconfig route add 192.0.2.0/24 10.0.2.2", "192.0.2.0/24: EEXIST"),
                     ("priv ifconfig route add 10.0.2.0/16", "10.0.2.0/16: EINVAL"),
                     ("priv ifconfig route del 127.0.0.0/8", "127.0.0.0/8: EPERM"),
                     ("priv ifconfig eth0 127.0.0.5/8", "eth0: EINVAL"),
                     ("priv ifconfig eth0 10.0.2.0/24", "eth0: EINVAL"),
                     ("priv ifconfig eth0 10.0.2.255/24", "eth0: EINVAL"),
                     ("priv ifconfig lo 10.1.1.1/8", "lo: ENOTSUP"),
                     ("priv ifconfig eth1 10.1.1.1/8", "eth1: ENOENT")]:
        restart.run(g, cmd + "\r", [rf"^ifconfig: {re.escape(err)}"])
    restart.run(g, "priv ifconfig eth0 10.0.2.20/33\r", [r"^usage: ifconfig "])
    restart.run(g, "priv ifconfig route del 192.0.2.0/24\r", [])
    restart.run(g, "priv ifconfig route del 192.0.2.0/24\r", [r"^ifconfig: 192\.0\.2\.0/24: ENOENT"])
    restart.run(g, "priv ifconfig eth0 dhcp\r", [])
    restart.run(g, "netwait -t 30\r", [r"^eth0: 10\.0\.2\.15/24$"])
    restart.run(g, "ifconfig\r", [r"^eth0: 10\.0\.2\.15/24 \(dhcp\)$"])


BULK_TIMEOUT = 600  # one bulk step under TCG on a loaded host (it takes 2-30 s)


def guest_listen(g, cmd, port):
    """Starts @cmd (an `nc -l @port ...`) as a background job and waits until
    netstat shows the guest listening on @port: QEMU's forward accepts on the
    host side whether or not the guest listens, so a host client connecting
    earlier would be reset."""
    restart.run(g, cmd + " &\r", [])
    deadline = time.monotonic() + BULK_TIMEOUT
    while time.monotonic() < deadline:
        mark = len(g.output)
        restart.run(g, "netstat\r", [])
        if re.search(rf":{port} +0\.0\.0\.0:0 +LISTEN", g.output[mark:]):
            return True
        time.sleep(0.5)
    return False


def host_send(port, data):
    """Sends @data through the forward to 127.0.0.1:@port, half-closes and
    waits for the guest to close; False when the connection failed."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=BULK_TIMEOUT) as s:
            s.sendall(data)
            s.shutdown(socket.SHUT_WR)
            while s.recv(65536):
                pass
        return True
    except OSError:
        return False


def host_receive(port, size):
    """Up to @size bytes the guest sends through the forward to 127.0.0.1:@port."""
    got = bytearray()
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=BULK_TIMEOUT) as s:
            while len(got) < size:
                chunk = s.recv(65536)
                if not chunk:
                    break
                got += chunk
    except OSError:
        pass
    return bytes(got)


def curl(url):
    """The body curl on the host fetches from @url (b"" when it fails)."""
    import subprocess
    r = subprocess.run(["curl", "-s", "-f", "--noproxy", "*", "--max-time", str(BULK_TIMEOUT),
                        url], capture_output=True, timeout=BULK_TIMEOUT + 30)
    return r.stdout if r.returncode == 0 else b""


def nc_receive(g, port, data, path, what):
    """Sends @data from the host through the forward on @port to `nc -l 7`
    in the guest, which writes it to @path, and waits for nc to end; what
    failed (@what names the transfer), or "" when all went."""
    if not guest_listen(g, f"nc -l 7 < /tmp/empty > {path}", 7):
        return f"nc -l 7 did not listen ({what} in)"
    if not host_send(port, data):
        return f"{what} to nc through the forward: the connection failed"
    _t().shell_run(g, "wait\r", [], timeout=BULK_TIMEOUT)
    return ""


def scenario_nic_bulk(args):
    """Bulk TCP through host forwards on the e1000: 16 MiB sent by the host to
    the guest's `nc -l` and sent back by another `nc -l` from the file the
    first wrote come back identical; 4 MiB sent to `nc -l` into a directory a
    second websrv serves are fetched back by `curl` on the host through a
    web forward with the same SHA-256 (init's websrv serves /data/www, which
    is read-only)."""
    import hashlib
    web, port = free_port(), free_port()
    fwd = [f"tcp:127.0.0.1:{web}-:8080", f"tcp:127.0.0.1:{port}-:7"]
    with _t().guest(args, "nic-bulk", "", forwards=fwd, nic="e1000") as g:
        _t().wait_shell_prompt(g)
        restart.run(g, "netwait -t 30\r", [r"^eth0: 10\.0\.2\.15/24$"])
        # /tmp holds 16 MiB at most: the files go to a tmpfs of their own.
        restart.run(g, "touch /tmp/empty; mkdir /tmp/bulk\r", [])
        restart.run(g, "mount tmpfs /tmp/bulk size=25165824; mkdir /tmp/bulk/www\r", [])
        echo = os.urandom(16 * 1024 * 1024)
        failed = nc_receive(g, port, echo, "/tmp/bulk/echo.bin", "16 MiB")
        if failed:
            return False, failed
        if not guest_listen(g, "nc -l 7 < /tmp/bulk/echo.bin", 7):
            return False, "nc -l 7 did not listen (16 MiB out)"
        back = host_receive(port, len(echo))
        _t().shell_run(g, "wait\r", [], timeout=BULK_TIMEOUT)
        if back != echo:
            return False, f"16 MiB echoed through nc: {len(back)} bytes back, not identical"
        restart.run(g, "rm /tmp/bulk/echo.bin\r", [])
        big = os.urandom(4 * 1024 * 1024)
        failed = nc_receive(g, port, big, "/tmp/bulk/www/big.bin", "4 MiB")
        if failed:
            return False, failed
        if not guest_listen(g, "websrv -p 8080 -r /tmp/bulk/www", 8080):
            return False, "websrv -p 8080 did not listen"
        body = curl(f"http://127.0.0.1:{web}/big.bin")
        if hashlib.sha256(body).hexdigest() != hashlib.sha256(big).hexdigest():
            return False, f"curl of the 4 MiB file: {len(body)} bytes, another SHA-256"
    return True, ""


def scenario_nic_e1000(args):
    """The NIC scenario on QEMU's e1000."""
    return scenario_nic(args, "nic-e1000", "e1000", "e1000")


def scenario_nic_virtio(args):
    """The NIC scenario on virtio-net over PCI (the virtio-net driver)."""
    return scenario_nic(args, "nic-virtio", "virtio-net-pci", "virtio-net")


SCENARIOS = [("netsrv-restarts", scenario_netsrv_restarts),
             ("nic-e1000", scenario_nic_e1000),
             ("nic-virtio", scenario_nic_virtio),
             ("nic-bulk", scenario_nic_bulk)]
