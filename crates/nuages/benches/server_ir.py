#!/usr/bin/env python3
"""Instructions per request of a whole HTTP server, hyper and tokio included, under callgrind.

The server runs under `valgrind --tool=callgrind` twice, answering 1,000 and then 11,000
keep-alive requests sent one after the other on one connection (the requests of
`shared/bench`'s scenarios); the difference of the two totals over 10,000 is the cost of one
request, from reading it to writing the answer. Unlike requests per second on a shared 2-core
machine, the count does not move with the machine's load, so it compares servers (nuages,
the peers of `shared/bench`) and commits exactly.

    cargo build --release --example bench_app
    python3 crates/nuages/benches/server_ir.py /plaintext -- \\
        target/release/examples/bench_app --addr 127.0.0.1:{port}
    python3 crates/nuages/benches/server_ir.py --shape form /form -- \\
        ../shared/bench/peers/target/release/peer-axum {port}

`{port}` in the command is replaced by the port; `--shape` is `get` (default), `form` (the
urlencoded 10-field POST of `wrk/form.lua`) or `cookie` (`wrk/cookie.lua`'s Cookie header).
"""

import argparse
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time

FORM = (
    "first_name=Jean&last_name=Reinhardt&email=django%40example.com"
    "&instrument=guitar&style=gypsy+jazz&city=Liberchies&country=Belgium"
    "&born=1910&tune=Minor+Swing&band=Quintette+du+Hot+Club+de+France"
)


def request_bytes(shape, path, port):
    host = f"Host: 127.0.0.1:{port}\r\n"
    if shape == "form":
        return (
            f"POST {path} HTTP/1.1\r\n{host}"
            "Content-Type: application/x-www-form-urlencoded\r\n"
            f"Content-Length: {len(FORM)}\r\n\r\n{FORM}"
        ).encode()
    if shape == "cookie":
        return f"GET {path} HTTP/1.1\r\n{host}Cookie: username=django; theme=dark\r\n\r\n".encode()
    return f"GET {path} HTTP/1.1\r\n{host}\r\n".encode()


def connect(port, deadline):
    while True:
        try:
            return socket.create_connection(("127.0.0.1", port))
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def send(port, request, n):
    """Sends `request` n times on one connection, reading each answer (Content-Length framed)."""
    s = connect(port, time.monotonic() + 120)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    buf = b""
    status = None
    for _ in range(n):
        s.sendall(request)
        while True:
            end = buf.find(b"\r\n\r\n")
            if end >= 0:
                head = buf[:end].lower()
                length = 0
                for line in head.split(b"\r\n"):
                    if line.startswith(b"content-length:"):
                        length = int(line.split(b":", 1)[1])
                if len(buf) >= end + 4 + length:
                    status = status or buf[:end].split(b"\r\n", 1)[0].decode()
                    buf = buf[end + 4 + length :]
                    break
            chunk = s.recv(65536)
            if not chunk:
                sys.exit("the server closed the connection")
            buf += chunk
    s.close()
    return status


def total(command, port, request, n, out_dir):
    out = os.path.join(out_dir, f"callgrind.{n}.out")
    argv = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}"]
    argv += [a.replace("{port}", str(port)) for a in command]
    log = open(os.path.join(out_dir, f"valgrind.{n}.log"), "w+")
    server = subprocess.Popen(argv, stdout=log, stderr=log)
    try:
        status = send(port, request, n)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=120)
    log.seek(0)
    found = re.search(r"Collected : (\d+)", log.read())
    if not found:
        sys.exit(f"no callgrind total in {log.name}")
    return int(found.group(1)), status


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shape", choices=["get", "form", "cookie"], default="get")
    parser.add_argument("--port", type=int, default=18777)
    parser.add_argument("path")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("the server command is missing (after --)")
    request = request_bytes(args.shape, args.path, args.port)
    with tempfile.TemporaryDirectory() as out_dir:
        low, status = total(command, args.port, request, 1_000, out_dir)
        high, _ = total(command, args.port, request, 11_000, out_dir)
    print(f"{args.path}: {status}, {(high - low) / 10_000:,.0f} instructions per request")


if __name__ == "__main__":
    main()
