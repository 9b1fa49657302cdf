#!/usr/bin/env bash
# Builds the .deb from a built tree and checks it the way a user meets it:
#   cpack -> contents and control fields -> desktop-file-validate, appstreamcli, man page lint,
#   lintian (report only, when installed) -> apt-get install -> systemd-analyze verify ->
#   --version -> headless smoke test of the INSTALLED binary (health + one simulated call)
#   -> apt-get remove (binary gone, config and user kept) -> apt-get purge (all gone).
#
#   bash packaging/validate-deb.sh BUILD_DIR
#
# It installs and removes the package on this machine: run it as root in CI or a throw-away
# machine (sudo is used when not root). Needs: cpack, dpkg-dev, file, desktop-file-utils,
# appstream, curl, python3-websockets (Debian's /usr/bin/python3). KEEP_INSTALLED=1 leaves the
# package installed for a look around after a failure.
set -euo pipefail
started=$SECONDS

fail() {
    echo "validate-deb: FAIL: $*" >&2
    exit 1
}
step() { echo "== validate-deb [$((SECONDS - started)) s]: $*"; }

[ $# -eq 1 ] || {
    echo "usage: bash packaging/validate-deb.sh BUILD_DIR" >&2
    exit 2
}
[ -f "$1/CPackConfig.cmake" ] || fail "$1 is not a configured build tree (no CPackConfig.cmake)"
build_dir=$(cd "$1" && pwd)

as_root=()
[ "$(id -u)" -eq 0 ] || as_root=(sudo)
# Debian's interpreter: the one on PATH may be a pyenv build without the websockets module.
py=/usr/bin/python3
for tool in cpack dpkg-deb dpkg-shlibdeps file desktop-file-validate appstreamcli curl; do
    command -v "$tool" >/dev/null || fail "$tool is missing (see the package list in .ci/bootstrap)"
done
"$py" -c 'import websockets' 2>/dev/null ||
    fail "$py cannot import websockets: apt-get install python3-websockets"

work=$(mktemp -d)
data_dir=
server_pid=
installed_by_us=0
cleanup() {
    if [ -n "$server_pid" ]; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    if [ "$installed_by_us" = 1 ] && [ "${KEEP_INSTALLED:-0}" != 1 ]; then
        echo "validate-deb: purging the package left installed by this run" >&2
        DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get purge -y -q dispatch-console \
            >/dev/null 2>&1 || true
    fi
    rm -rf "$work" ${data_dir:+"$data_dir" "$data_dir.audit"}
}
trap cleanup EXIT

# --- build the package -------------------------------------------------------------------------

step "cpack -G DEB in $build_dir"
rm -f "$build_dir"/dispatch-console_*.deb
(cd "$build_dir" && cpack -G DEB) >"$work/cpack.log" 2>&1 || {
    cat "$work/cpack.log" >&2
    fail "cpack failed"
}
debs=("$build_dir"/dispatch-console_*.deb)
if [ ${#debs[@]} -ne 1 ] || [ ! -f "${debs[0]}" ]; then
    fail "expected one dispatch-console_*.deb in $build_dir"
fi
deb=${debs[0]}
version=$(dpkg-deb -f "$deb" Version)
upstream=${version%-*}
echo "package: $(basename "$deb"), $(du -k "$deb" | cut -f1) KiB," \
    "Installed-Size $(dpkg-deb -f "$deb" Installed-Size) KiB"
echo "Depends: $(dpkg-deb -f "$deb" Depends)"

step "control fields and contents"
for field in Package Version Architecture Maintainer Section Priority Homepage Description; do
    [ -n "$(dpkg-deb -f "$deb" "$field")" ] || fail "control field $field is empty"
done
[ "$(dpkg-deb -f "$deb" Package)" = dispatch-console ] ||
    fail "the package name is not dispatch-console"
depends=$(dpkg-deb -f "$deb" Depends)
for pkg in adduser libqt6network6 libqt6sql6-sqlite openssl pocketsphinx-en-us libc6; do
    grep -Eq "(^|, )$pkg( |,|$)" <<<"$depends" || fail "Depends lacks $pkg"
done
if grep -Eq '(^|, )libqt6widgets6' <<<"$depends"; then # a build with the window
    for pkg in qt6-qpa-plugins libqt6svg6 gstreamer1.0-plugins-base gstreamer1.0-plugins-good \
        libjs-leaflet; do
        grep -Eq "(^|, )$pkg( |,|$)" <<<"$depends" || fail "Depends lacks $pkg"
    done
fi
if grep -Eq '(^|, )libqt6webengine' <<<"$depends"; then
    grep -Eq '(^|, )libqt6webenginecore6-bin' <<<"$depends" ||
        fail "Depends lacks libqt6webenginecore6-bin"
fi
app_id=org.dispatchconsole.DispatchConsole
dpkg-deb -c "$deb" | awk '{print $6}' | sed 's|^\./|/|' >"$work/contents"
expect=(
    /usr/bin/dispatch-console
    "/usr/share/applications/$app_id.desktop"
    "/usr/share/metainfo/$app_id.metainfo.xml"
    "/usr/share/icons/hicolor/scalable/apps/$app_id.svg"
    /usr/share/man/man1/dispatch-console.1.gz
    /usr/lib/systemd/system/dispatch-console.service
    /etc/dispatch-console/dispatch-console.env
    /usr/share/dispatch-console/
)
for size in 16 22 24 32 48 64 128 256 512; do
    expect+=("/usr/share/icons/hicolor/${size}x${size}/apps/$app_id.png")
done
for path in "${expect[@]}"; do
    grep -qxF "$path" "$work/contents" || fail "the package lacks $path"
done
dpkg-deb -e "$deb" "$work/control"
grep -qxF /etc/dispatch-console/dispatch-console.env "$work/control/conffiles" ||
    fail "dispatch-console.env is not a conffile"
dpkg-deb -x "$deb" "$work/root"
[ "$(stat -c %a "$work/root/etc/dispatch-console/dispatch-console.env")" = 640 ] ||
    fail "dispatch-console.env is not shipped with mode 0640"
for script in postinst prerm postrm; do
    sh -n "$work/control/$script" || fail "$script has a syntax error"
done

step "desktop-file-validate, appstreamcli validate, man page"
desktop-file-validate "$work/root/usr/share/applications/$app_id.desktop" ||
    fail "desktop-file-validate"
appstreamcli validate --no-net "$work/root/usr/share/metainfo/$app_id.metainfo.xml" ||
    fail "appstreamcli validate"
grep -q "<release version=\"$upstream\"" "$work/root/usr/share/metainfo/$app_id.metainfo.xml" ||
    fail "the metainfo has no release entry for $upstream"
if command -v groff >/dev/null; then
    warnings=$(zcat "$work/root/usr/share/man/man1/dispatch-console.1.gz" | groff -man -ww -z 2>&1)
    [ -z "$warnings" ] || fail "groff warnings in the man page: $warnings"
else
    zcat "$work/root/usr/share/man/man1/dispatch-console.1.gz" | grep -q '^\.TH DISPATCH' ||
        fail "the man page has no .TH line"
fi

if command -v lintian >/dev/null; then
    step "lintian (report only)"
    lintian --tag-display-limit 0 "$deb" 2>&1 | sed 's/^/  /' || true
fi

# --- install ---------------------------------------------------------------------------------

if dpkg-query -W -f='${Status}' dispatch-console 2>/dev/null | grep -q "install ok installed"; then
    echo "validate-deb: dispatch-console is already installed; purging it first" >&2
    DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get purge -y -q dispatch-console >/dev/null
fi
step "apt-get install $deb"
installed_by_us=1
DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -q --no-install-recommends \
    "$deb" >"$work/apt.log" 2>&1 || {
    cat "$work/apt.log" >&2
    fail "apt-get install failed"
}
[ -x /usr/bin/dispatch-console ] || fail "/usr/bin/dispatch-console is not installed"
getent passwd dispatch-console >/dev/null ||
    fail "postinst did not create the dispatch-console user"
env_mode=$(stat -c '%a %U %G' /etc/dispatch-console/dispatch-console.env)
[ "$env_mode" = "640 root dispatch-console" ] ||
    fail "dispatch-console.env is not 0640 root:dispatch-console"

if command -v systemd-analyze >/dev/null; then
    step "systemd-analyze verify"
    systemd-analyze verify --man=no /usr/lib/systemd/system/dispatch-console.service ||
        fail "systemd-analyze verify"
    if systemd-analyze security --help 2>/dev/null | grep -q -- --offline; then
        systemd-analyze security --offline=true --no-pager \
            /usr/lib/systemd/system/dispatch-console.service 2>/dev/null |
            tail -1 | sed 's/^/  /' || true
    fi
fi

step "dispatch-console --version"
out=$(/usr/bin/dispatch-console --version) || fail "--version exited with $?"
[ "$out" = "dispatch-console $upstream" ] ||
    fail "--version printed '$out', expected 'dispatch-console $upstream'"
echo "  $out"

# --- headless smoke test of the installed binary -----------------------------------------------

step "headless smoke test as the dispatch-console user"
data_dir=$(mktemp -d)
# The audit key lives outside the data dir, as the systemd unit keeps it (StateDirectory
# dispatch-console-audit); setpriv keeps root's HOME, where the service user cannot write.
key_dir="$data_dir.audit"
mkdir -m 0700 "$key_dir"
run_as=()
if [ "$(id -u)" -eq 0 ]; then
    chown dispatch-console:dispatch-console "$data_dir" "$key_dir"
    # setpriv execs the server itself, so $! is its pid and SIGTERM reaches it.
    run_as=(setpriv --reuid=dispatch-console --regid=dispatch-console --init-groups)
fi
"${run_as[@]}" /usr/bin/dispatch-console --headless --listen 127.0.0.1:0 --data-dir "$data_dir" \
    --audit-key "$key_dir/audit.key" --auto-answer >"$work/server.out" 2>"$work/server.err" &
server_pid=$!
url=
for _ in $(seq 100); do
    url=$(sed -n 's/^listening on \([^ ]*\)$/\1/p' "$work/server.out")
    [ -n "$url" ] && break
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
done
[ -n "$url" ] || {
    cat "$work/server.out" "$work/server.err" >&2
    fail "the server printed no 'listening on URL' line within 10 s"
}
echo "  listening on $url"
health=$(curl -sS --max-time 5 "$url/health") || fail "GET $url/health failed"
grep -Eq '"ready" *: *true' <<<"$health" || fail "GET /health is not ready: $health"
echo "  GET /health: ready"

ws_url="ws${url#http}/ws/signal?call_id=smoke-1"
"$py" - "$ws_url" <<'EOF' || fail "the simulated call did not get dispatcher_ready"
import asyncio, json, sys
import websockets

async def call(url):
    async with websockets.connect(url, open_timeout=5, close_timeout=2) as ws:
        await ws.send(json.dumps({"type": "call_initiated",
                                  "location": {"lat": 52.52, "lng": 13.405, "accuracy": 15}}))
        while True:
            msg = json.loads(await asyncio.wait_for(ws.recv(), timeout=5))
            if msg.get("type") == "dispatcher_ready" and msg.get("call_id") == "smoke-1":
                print("  call smoke-1: call_initiated -> dispatcher_ready")
                await ws.send(json.dumps({"type": "call_ended"}))
                return 0
            if msg.get("type") == "error":
                print("  server error:", msg, file=sys.stderr)
                return 1

sys.exit(asyncio.run(call(sys.argv[1])))
EOF

kill -TERM "$server_pid"
rc=0
wait "$server_pid" || rc=$?
server_pid=
[ "$rc" -eq 0 ] || {
    cat "$work/server.err" >&2
    fail "the server exited with $rc after SIGTERM"
}
echo "  SIGTERM: exit 0"

# --- remove and purge --------------------------------------------------------------------------

step "apt-get remove dispatch-console"
DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get remove -y -q dispatch-console \
    >"$work/apt.log" 2>&1 || {
    cat "$work/apt.log" >&2
    fail "apt-get remove failed"
}
[ ! -e /usr/bin/dispatch-console ] || fail "/usr/bin/dispatch-console is still there after remove"
[ -f /etc/dispatch-console/dispatch-console.env ] ||
    fail "remove deleted the conffile (only purge may)"
getent passwd dispatch-console >/dev/null || fail "remove deleted the user (only purge may)"

step "apt-get purge dispatch-console"
DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get purge -y -q dispatch-console \
    >"$work/apt.log" 2>&1 || {
    cat "$work/apt.log" >&2
    fail "apt-get purge failed"
}
installed_by_us=0
[ ! -e /etc/dispatch-console ] || fail "/etc/dispatch-console is still there after purge"
[ ! -e /var/lib/dispatch-console ] || fail "/var/lib/dispatch-console is still there after purge"
! getent passwd dispatch-console >/dev/null || fail "the user dispatch-console survived the purge"
! getent group dispatch-console >/dev/null || fail "the group dispatch-console survived the purge"

step "OK: $(basename "$deb") in $((SECONDS - started)) s"
