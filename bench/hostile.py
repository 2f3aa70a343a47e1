#!/usr/bin/env python3
"""Hostile clients for bench/soak.sh (standard library only), on loopback, bounded in time.

For DURATION seconds, against http://127.0.0.1:PORT:
- COSTLY clients loop on uncached 4000 x 4000 PNG heatmaps of all 17 indicators, each with a
  new title and `Cache-Control: no-cache` (the most expensive URL there is);
- SLOW clients POST /predict declaring 100 bytes and send one byte a second, reconnecting when
  the server cuts them;
- IDLE clients open sockets and send nothing, reconnecting when closed;
- CHUNKED clients GET /health with a chunked body that never ends (one chunk a second),
  reconnecting when the server cuts them;
- NONREADING clients ask for /donnees/elexxion.db (half of them with brotli and no-cache) with
  a 4 KiB receive buffer and read nothing, reconnecting when the server cuts them;
- GEOJSON clients loop on the uncached /departements.geojson (full outlines);
- one prober asks GET /health every 20 ms on its own keep-alive connection and records the
  latency; RSS of PID is sampled every 5 s.
Prints the /health percentiles, RSS over time and the status counts as `key: value` lines.
"""

import asyncio
import os
import sys
import time

PORT = int(os.environ.get("PORT", "18081"))
PID = int(os.environ["SERVER_PID"])
DURATION = float(os.environ.get("DURATION", "30"))
COSTLY = int(os.environ.get("COSTLY", "8"))
SLOW = int(os.environ.get("SLOW", "100"))
IDLE = int(os.environ.get("IDLE", "100"))
CHUNKED = int(os.environ.get("CHUNKED", "100"))
NONREADING = int(os.environ.get("NONREADING", "120"))
GEOJSON = int(os.environ.get("GEOJSON", "16"))
VARIABLES = (
    "taux_chomage,taux_abstention,taux_participation,taux_blancs,taux_nuls,part_gauche,"
    "part_centre,part_droite,part_extreme_droite,revenu_median,taux_pauvrete,part_pensions,"
    "population,part_65_ans_et_plus,part_immigres,superficie,densite"
)

statuses = {}
health_ms = []
cut_slow = 0
cut_chunked = 0
cut_downloads = 0


def count(kind, status):
    key = f"{kind} {status}"
    statuses[key] = statuses.get(key, 0) + 1


async def read_response(reader):
    """Status and body of one HTTP/1.1 response (content-length framing)."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    length = 0
    for line in lines[1:]:
        if line.lower().startswith("content-length:"):
            length = int(line.split(":", 1)[1])
    body = await reader.readexactly(length) if length else b""
    return status, body


async def costly(i, deadline):
    n = 0
    while time.monotonic() < deadline:
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", PORT)
            while time.monotonic() < deadline:
                n += 1
                path = (
                    f"/charts/correlations.png?width=4000&height=4000&variables={VARIABLES}"
                    f"&title=hostile-{i}-{n}"
                )
                writer.write(
                    f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nCache-Control: no-cache\r\n\r\n".encode()
                )
                await writer.drain()
                status, _ = await asyncio.wait_for(read_response(reader), 30)
                count("costly", status)
                if status == 503:
                    await asyncio.sleep(1)  # as its Retry-After says
            writer.close()
        except (OSError, asyncio.IncompleteReadError, asyncio.TimeoutError) as e:
            count("costly", type(e).__name__)
            await asyncio.sleep(0.1)


async def trickle(kind, head, piece, deadline):
    """Sends `head`, then `piece` every second until the server answers; counts the answers,
    and returns whether the server then closed the connection."""
    reader, writer = await asyncio.open_connection("127.0.0.1", PORT)
    writer.write(head)
    await writer.drain()
    answer = asyncio.ensure_future(read_response(reader))
    while not answer.done() and time.monotonic() < deadline:
        writer.write(piece)
        await writer.drain()
        await asyncio.wait([answer], timeout=1)
    closed = False
    if answer.done():
        status, _ = answer.result()
        count(kind, status)
        closed = not await asyncio.wait_for(reader.read(), 5)
    else:
        answer.cancel()
    writer.close()
    return answer.done(), closed


async def trickling(kind, head, piece, deadline):
    """Trickle clients one after another until the deadline; returns (answered, closed) counts."""
    answered = closed = 0
    while time.monotonic() < deadline:
        try:
            done, shut = await trickle(kind, head, piece, deadline)
            answered += done
            closed += shut
        except (OSError, asyncio.IncompleteReadError, asyncio.TimeoutError) as e:
            count(kind, type(e).__name__)
            await asyncio.sleep(0.1)
    return answered, closed


async def slow(deadline):
    global cut_slow
    head = (
        b"POST /predict HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        b"Content-Length: 100\r\n\r\n"
    )
    answered, _ = await trickling("slow", head, b" ", deadline)
    cut_slow += answered


async def idle(deadline):
    while time.monotonic() < deadline:
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", PORT)
            data = await asyncio.wait_for(reader.read(), max(0.1, deadline - time.monotonic()))
            count("idle", "closed" if not data else data[:12].decode("latin-1"))
            writer.close()
        except asyncio.TimeoutError:
            pass
        except OSError as e:
            count("idle", type(e).__name__)
            await asyncio.sleep(0.1)


async def chunked(deadline):
    global cut_chunked
    head = b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n"
    _, closed = await trickling("chunked", head, b"1\r\nx\r\n", deadline)
    cut_chunked += closed


def nonreading_socket():
    import socket

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.setblocking(False)
    return sock


async def nonreading(i, deadline):
    global cut_downloads
    loop = asyncio.get_running_loop()
    extra = b"Accept-Encoding: br\r\nCache-Control: no-cache\r\n" if i % 2 else b""
    while time.monotonic() < deadline:
        sock = nonreading_socket()
        try:
            await loop.sock_connect(sock, ("127.0.0.1", PORT))
            await loop.sock_sendall(
                sock, b"GET /donnees/elexxion.db HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extra + b"\r\n"
            )
            # Read nothing until the deadline, then see whether the server cut the connection.
            await asyncio.sleep(max(0.0, deadline - time.monotonic()))
            sock.setblocking(True)
            sock.settimeout(2)
            received = 0
            try:
                while True:
                    data = sock.recv(1 << 20)
                    if not data:
                        break
                    received += len(data)
            except (ConnectionResetError, TimeoutError, OSError):
                pass
            count("nonreading", "cut" if received < 13_000_000 else "whole")
            if received < 13_000_000:
                cut_downloads += 1
        except OSError as e:
            count("nonreading", type(e).__name__)
            await asyncio.sleep(0.1)
        finally:
            sock.close()


async def geojson(deadline):
    while time.monotonic() < deadline:
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", PORT)
            while time.monotonic() < deadline:
                writer.write(
                    b"GET /departements.geojson HTTP/1.1\r\nHost: 127.0.0.1\r\nCache-Control: no-cache\r\n\r\n"
                )
                await writer.drain()
                status, _ = await asyncio.wait_for(read_response(reader), 30)
                count("geojson", status)
                if status == 503:
                    await asyncio.sleep(1)
            writer.close()
        except (OSError, asyncio.IncompleteReadError, asyncio.TimeoutError) as e:
            count("geojson", type(e).__name__)
            await asyncio.sleep(0.1)


async def prober(deadline):
    reader, writer = await asyncio.open_connection("127.0.0.1", PORT)
    while time.monotonic() < deadline:
        started = time.monotonic()
        try:
            writer.write(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            await writer.drain()
            status, _ = await asyncio.wait_for(read_response(reader), 10)
        except (OSError, asyncio.IncompleteReadError, asyncio.TimeoutError) as e:
            status = type(e).__name__
            writer.close()
            reader, writer = await asyncio.open_connection("127.0.0.1", PORT)
        health_ms.append((time.monotonic() - started) * 1000)
        count("health", status)
        await asyncio.sleep(0.02)


def rss_mib():
    with open(f"/proc/{PID}/status") as f:
        for line in f:
            if line.startswith("VmRSS"):
                return int(line.split()[1]) // 1024
    return 0


async def sampler(deadline, samples):
    while time.monotonic() < deadline:
        await asyncio.sleep(5)
        samples.append(rss_mib())


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))] if ordered else float("nan")


async def main():
    deadline = time.monotonic() + DURATION
    samples = [rss_mib()]
    tasks = [costly(i, deadline) for i in range(COSTLY)]
    tasks += [slow(deadline) for _ in range(SLOW)]
    tasks += [idle(deadline) for _ in range(IDLE)]
    tasks += [chunked(deadline) for _ in range(CHUNKED)]
    tasks += [nonreading(i, deadline) for i in range(NONREADING)]
    tasks += [geojson(deadline) for _ in range(GEOJSON)]
    tasks += [prober(deadline), sampler(deadline, samples)]
    await asyncio.gather(*tasks)
    print(f"health requests: {len(health_ms)}")
    print(f"health p50 ms: {percentile(health_ms, 50):.1f}")
    print(f"health p99 ms: {percentile(health_ms, 99):.1f}")
    print(f"health max ms: {max(health_ms):.1f}")
    print(f"rss MiB over time: {' '.join(map(str, samples))}")
    print(f"rss MiB start/peak/end: {samples[0]}/{max(samples)}/{samples[-1]}")
    print(f"slow bodies cut by the server: {cut_slow}")
    print(f"chunked bodies cut and closed by the server: {cut_chunked}")
    print(f"non-reading downloads cut by the server: {cut_downloads} of {NONREADING}")
    for key in sorted(statuses):
        print(f"status {key}: {statuses[key]}")
    server_errors = sum(v for k, v in statuses.items() if k.split()[1].startswith("5"))
    print(f"5xx responses: {server_errors}")


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
