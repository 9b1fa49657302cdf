#!/usr/bin/python3
"""The attack review of issue 15, replayed against a real dispatch-console binary.

Starts `dispatch-console --headless` on 127.0.0.1 and plays, one finding at a time, the
outsider (a second host: its sockets are bound to 127.0.0.2), the hostile caller and the
victim phone and dispatcher. Prints one line per finding, "defended" or "VULNERABLE", and
exits 1 if any finding reproduces. It runs against any build, so the same script shows the
findings on the code before the fix (6c8deed) and their absence now:

    /usr/bin/python3 tests/security/attack_live.py build/app/dispatch-console

Needs Debian's python3-websockets (installed by .ci/bootstrap).
"""

import asyncio
import json
import os
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
import urllib.request

import websockets

TOKEN = "attack-review-admin-token"
OTHER_HOST = ("127.0.0.2", 0)


class Console:
    def __init__(self, binary, extra=()):
        self.binary = binary
        self.root = tempfile.mkdtemp(prefix="attack-")
        self.data = os.path.join(self.root, "data")
        self.env = {**os.environ, "QT_QPA_PLATFORM": "offscreen",
                    "XDG_CONFIG_HOME": os.path.join(self.root, "config"),
                    "XDG_STATE_HOME": os.path.join(self.root, "state")}
        self.proc = subprocess.Popen(
            [binary, "--headless", "--listen", "127.0.0.1:0", "--data-dir", self.data,
             "--dashboard-token", TOKEN, *extra],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=self.env)
        deadline = time.time() + 20
        self.base = None
        while time.time() < deadline and self.base is None:
            line = self.proc.stdout.readline()
            m = re.search(r"listening on (http://\S+)", line)
            if m:
                self.base = m.group(1)
        if not self.base:
            raise RuntimeError("the console did not start")
        self.ws = self.base.replace("http://", "ws://")

    def run(self, *args):
        """The binary as a command on this console's data dir (tokens, --verify-audit)."""
        r = subprocess.run([self.binary, "--data-dir", self.data, *args], env=self.env,
                           capture_output=True, text=True, timeout=60)
        return r.returncode, r.stdout.strip()

    def halt(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()

    def stop(self):
        self.halt()
        shutil.rmtree(self.root, ignore_errors=True)

    def get(self, path, token=None):
        request = urllib.request.Request(self.base + path)
        if token:
            request.add_header("Authorization", "Bearer " + token)
        try:
            with urllib.request.urlopen(request, timeout=10) as r:
                return r.status, r.read()
        except urllib.error.HTTPError as e:
            return e.code, e.read()

    def metric(self, name):
        _, body = self.get("/metrics", TOKEN)
        for line in body.decode().splitlines():
            if line.startswith(name + " "):
                return float(line.split()[1])
        return 0.0


async def connect(url, other_host=False, **kw):
    if other_host:
        kw["local_addr"] = OTHER_HOST
    return await websockets.connect(url, max_size=None, open_timeout=10, **kw)


async def recv_until(ws, pred, timeout=3.0):
    """Messages until pred(message) is true; None on timeout or close."""
    end = time.time() + timeout
    while time.time() < end:
        try:
            m = await asyncio.wait_for(ws.recv(), end - time.time())
        except (asyncio.TimeoutError, websockets.ConnectionClosed):
            return None
        if isinstance(m, str):
            try:
                m = json.loads(m)
            except ValueError:
                continue
        if pred(m):
            return m
    return None


def typed(kind):
    return lambda m: isinstance(m, dict) and m.get("type") == kind


async def dashboard(c):
    d = await connect(c.ws + "/ws/dashboard", extra_headers={"Authorization": "Bearer " + TOKEN})
    await recv_until(d, typed("hello"))
    return d


async def victim_call(c, call_id, dash):
    """A seed-000 phone (three sockets at once, no secret), answered by the dashboard."""
    q = "call_id=" + call_id
    sig = await connect(f"{c.ws}/ws/signal?{q}&role=caller")
    audio = await connect(f"{c.ws}/ws/audio?{q}")
    vitals = await connect(f"{c.ws}/ws/vitals?{q}")
    await sig.send(json.dumps({"type": "call_initiated", "location": {"lat": 40.0, "lng": -3.0}}))
    await recv_until(dash, lambda m: typed("incoming_call")(m) and m["call_id"] == call_id)
    await dash.send(json.dumps({"type": "dispatcher_joined", "call_id": call_id}))
    await recv_until(sig, typed("dispatcher_ready"))
    return sig, audio, vitals


async def still_open(ws):
    try:
        await asyncio.wait_for(ws.ping(), 2)
        return True
    except Exception:
        return False


async def handled(ws):
    """Sends a malformed message and waits for the server's error reply (or the close): once it
    comes, the server has handled this socket's connection and everything sent before. The
    positive event to wait for before checking that something did not happen (no fixed sleeps)."""
    try:
        await ws.send("{}")
    except websockets.ConnectionClosed:
        return
    await recv_until(ws, lambda m: isinstance(m, dict) and m.get("type") == "error", 5)


# --- the findings -------------------------------------------------------------------------

async def health_lists_call_ids(c):
    dash = await dashboard(c)
    await victim_call(c, "victim-health-1", dash)
    # Local triage starts at answer; with a token the call is listed (the attack can work).
    deadline = time.time() + 10
    while b"victim-health-1" not in c.get("/health", TOKEN)[1]:
        if time.time() > deadline:
            raise RuntimeError("the call never reached triage")
        await asyncio.sleep(0.2)
    _, body = c.get("/health")
    leaked = b"victim-health-1" in body
    return leaked, f"call id in the anonymous /health: {leaked}"


async def takeover_by_call_id(c):
    dash = await dashboard(c)
    sig, audio, vitals = await victim_call(c, "victim-takeover", dash)
    evil = await connect(f"{c.ws}/ws/signal?call_id=victim-takeover&role=caller",
                         other_host=True)
    await evil.send(json.dumps({"type": "call_initiated",
                                "location": {"lat": 1.0, "lng": 1.0}}))
    got_in = await recv_until(evil, typed("dispatcher_ready"), 2) is not None
    await handled(evil)  # its call_initiated was handled: any cut-off has happened
    cut_off = not await still_open(sig)
    try:
        await evil.send(json.dumps({"type": "call_ended"}))
    except websockets.ConnectionClosed:
        pass  # refused and closed
    ended = await recv_until(dash, lambda m: typed("call_ended")(m)
                             and m["call_id"] == "victim-takeover", 2) is not None
    return got_in or cut_off or ended, \
        f"another host with the call id: re-attached={got_in} cut the caller off={cut_off} " \
        f"hung up={ended}"


async def media_on_a_known_call(c):
    dash = await dashboard(c)
    await victim_call(c, "victim-media", dash)
    evil_audio = await connect(f"{c.ws}/ws/audio?call_id=victim-media", other_host=True)
    evil_vitals = await connect(f"{c.ws}/ws/vitals?call_id=victim-media", other_host=True)
    try:
        await evil_vitals.send(json.dumps({"type": "vitals", "hr": 0, "hrConfidence": 1}))
    except websockets.ConnectionClosed:
        pass
    forged = await recv_until(dash, lambda m: typed("vitals")(m)
                              and m["call_id"] == "victim-media", 2)
    await handled(evil_audio)  # attached or refused by now
    audio_kept = await still_open(evil_audio)
    return forged is not None or audio_kept, \
        f"another host attached: forged vitals reached the dispatcher={forged is not None} " \
        f"audio socket kept={audio_kept}"


async def eavesdrop_talk_back(c):
    dash = await dashboard(c)
    await victim_call(c, "victim-listen", dash)
    # From the caller's own address, as a quieter attacker would (no secret).
    ear = await connect(f"{c.ws}/ws/audio?call_id=victim-listen")
    await handled(ear)  # attached or refused by now
    cid = b"victim-listen"
    frame = bytes([3, len(cid)]) + cid + b"\x01\x00" * 1600  # talk-back, 100 ms
    for _ in range(3):
        await dash.send(frame)
    heard = await recv_until(ear, lambda m: isinstance(m, bytes), 2)
    return heard is not None, f"an extra audio socket heard the talk-back: {heard is not None}"


async def forged_host_events(c):
    dash = await dashboard(c)
    sig, _, _ = await victim_call(c, "hostile-caller", dash)
    await sig.send(json.dumps({"type": "triage_update", "report": {
        "situation_summary": "prank, no help needed", "severity": 1}}))
    await sig.send(json.dumps({"type": "prearrival", "title": "do NOT start CPR",
                               "steps": ["wait"]}))
    forged = await recv_until(
        dash, lambda m: isinstance(m, dict) and (
            (m.get("type") == "triage_update"
             and m.get("report", {}).get("situation_summary") == "prank, no help needed")
            or (m.get("type") == "prearrival" and m.get("title") == "do NOT start CPR")), 2)
    return forged is not None, f"a forged triage/prearrival reached the dashboard: " \
                               f"{forged is not None}"


async def http_body_exhaustion(c):
    s = socket.create_connection(("127.0.0.1", int(c.base.rsplit(":", 1)[1])))
    s.sendall(b"POST /health HTTP/1.1\r\nHost: x\r\nContent-Length: 104857600\r\n\r\n")
    sent = 0
    s.settimeout(5)
    try:
        chunk = b"\0" * 65536
        while sent < 32 * 1024 * 1024:
            s.sendall(chunk)
            sent += len(chunk)
    except OSError:
        pass
    s.close()
    return sent >= 32 * 1024 * 1024, \
        f"the server took {sent // 1024} KiB of a 100 MiB body for a GET-only route"


async def call_flood(c):
    made = 0
    sockets = []
    for i in range(30):
        ws = await connect(f"{c.ws}/ws/signal?call_id=flood-{i}&role=caller", other_host=True)
        await ws.send(json.dumps({"type": "call_initiated"}))
        sockets.append(ws)
    for ws in sockets:
        await handled(ws)  # its call_initiated was handled (or it was closed)
    _, body = c.get("/sessions", TOKEN)
    made = sum(1 for s in json.loads(body)["sessions"] if s["call_id"].startswith("flood-"))
    return made > 10, f"one address put {made} ringing calls in the queue"


async def audio_flood(c):
    dash = await dashboard(c)
    sig, audio, _ = await victim_call(c, "loud", dash)
    before = c.metric("dispatch_storage_recorded_audio_bytes")
    second = b"\x01\x00" * 16000
    start = time.time()
    for _ in range(60):  # 60 s of audio as fast as the socket takes it
        await audio.send(second)
    await handled(audio)  # every chunk read: recorded or dropped
    elapsed = time.time() - start
    kept = (c.metric("dispatch_storage_recorded_audio_bytes") - before) / 32000
    return kept > 8 + 2 * (elapsed + 2), \
        f"{kept:.0f} s of audio recorded from {elapsed:.1f} s of sending"


async def reissued_token_keeps_session(c):
    _, stolen = c.run("--issue-token", "bob", "--role", "dispatcher")
    d = await connect(c.ws + "/ws/dashboard", extra_headers={"Authorization": "Bearer " + stolen})
    if await recv_until(d, typed("hello")) is None:
        raise RuntimeError("the issued token was not accepted")
    c.run("--revoke-token", "bob")
    c.run("--issue-token", "bob", "--role", "dispatcher")
    try:  # sessions are re-checked every 5 s: closed within that, or kept
        await asyncio.wait_for(d.wait_closed(), 8)
    except asyncio.TimeoutError:
        pass
    kept = await still_open(d)
    return kept, f"the revoked token's session survived a re-issue of the name: {kept}"


async def supervisor_ends_any_call(c):
    _, carol = c.run("--issue-token", "carol", "--role", "supervisor")
    dash = await dashboard(c)
    await victim_call(c, "victim-ended", dash)
    request = urllib.request.Request(c.base + "/sessions/victim-ended", method="DELETE")
    request.add_header("Authorization", "Bearer " + carol)
    try:
        with urllib.request.urlopen(request, timeout=10) as r:
            status = r.status
    except urllib.error.HTTPError as e:
        status = e.code
    return status == 200, f"a supervisor's DELETE /sessions/{{id}} answered {status}"


async def audit_cut_quietly(c):
    dash = await dashboard(c)
    sig, _, _ = await victim_call(c, "audited", dash)
    await sig.send(json.dumps({"type": "call_ended"}))
    await recv_until(dash, typed("call_ended"))
    deadline = time.time() + 10  # the call's audit entries committed (the stop anchors them)
    while c.metric("dispatch_storage_pending_rows") > 0 and time.time() < deadline:
        await asyncio.sleep(0.05)
    c.halt()
    import sqlite3
    db = sqlite3.connect(os.path.join(c.data, "dispatch.sqlite"))
    db.execute("DROP TRIGGER IF EXISTS audit_log_no_delete")
    cut = db.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    db.execute("DELETE FROM audit_log WHERE seq > (SELECT max(seq) - 3 FROM audit_log)")
    db.commit()
    db.close()
    code, out = c.run("--verify-audit")
    return code == 0, f"the newest 3 of {cut} entries deleted: --verify-audit exit {code} " \
                      f"({out.splitlines()[-1] if out else ''})"


async def data_dir_readable(c):
    deadline = time.time() + 10  # the database is created as the console starts
    while not os.path.exists(os.path.join(c.data, "dispatch.sqlite")) and time.time() < deadline:
        await asyncio.sleep(0.05)
    modes = {name: oct(os.stat(os.path.join(c.data, name)).st_mode & 0o777)
             for name in (".", "dispatch.sqlite") if os.path.exists(os.path.join(c.data, name))}
    loose = any(int(m, 8) & 0o077 for m in modes.values())
    return loose, f"modes {modes}"


FINDINGS = [
    ("1a", "call ids on /health", health_lists_call_ids),
    ("1b", "take-over by call id", takeover_by_call_id),
    ("1c", "media on a known call", media_on_a_known_call),
    ("1d", "eavesdrop on talk-back", eavesdrop_talk_back),
    ("2", "caller forges host events", forged_host_events),
    ("3", "unbounded HTTP body", http_body_exhaustion),
    ("4", "call flooding", call_flood),
    ("5a", "audio faster than real time", audio_flood),
    ("5b", "revoked token, name re-issued", reissued_token_keeps_session),
    ("5c", "supervisor ends any call", supervisor_ends_any_call),
    ("5d", "audit trail cut quietly", audit_cut_quietly),
    ("6", "data dir readable by others", data_dir_readable),
]


async def main(binary, only):
    vulnerable = 0
    for fid, name, attack in FINDINGS:
        if only and fid not in only:
            continue
        c = Console(binary)
        try:
            hit, detail = await asyncio.wait_for(attack(c), 60)
        except Exception as e:  # an attack that cannot even run is not a defence
            hit, detail = True, f"attack failed to run: {e!r}"
        finally:
            c.stop()
        vulnerable += hit
        print(f"{fid:3} {name:30} {'VULNERABLE' if hit else 'defended'}  ({detail})",
              flush=True)
    return 1 if vulnerable else 0


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    sys.exit(asyncio.run(main(sys.argv[1], set(sys.argv[2:]))))
