#!/usr/bin/env bash
# Makes a container engine answer for berth's integration tests.
#
#   test/engine/ensure-engine.sh [--podman]
#
# Installs what the tests need when it is missing (Debian, as root): docker.io, docker-compose,
# busybox-static, iproute2, and podman with --podman. Starts dockerd in the background when
# `docker info` does not answer, logging to $BERTH_DOCKERD_LOG (default /tmp/berth-dockerd.log),
# and waits up to $BERTH_ENGINE_WAIT seconds (default 60). Never changes an engine that already
# answers; run it again and it changes nothing.
set -euo pipefail

want_podman=0
for arg in "$@"; do
  case "$arg" in
    --podman) want_podman=1 ;;
    -h | --help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "ensure-engine: unknown argument '$arg' (try --help)" >&2; exit 2 ;;
  esac
done

log=${BERTH_DOCKERD_LOG:-/tmp/berth-dockerd.log}
wait_seconds=${BERTH_ENGINE_WAIT:-60}
# The Debian client: it speaks the daemon's own API version and builds with BuildKit when asked.
docker_cli=docker
[ -x /usr/bin/docker ] && docker_cli=/usr/bin/docker

say() { echo "ensure-engine: $*" >&2; }
fail() { say "$*"; exit 1; }
have() { command -v "$1" >/dev/null 2>&1; }
is_root() { [ "$(id -u)" -eq 0 ]; }

dpkg_installed() {
  [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)" = "install ok installed" ]
}

# A static busybox is what goes into the test base image; a dynamic one would not run there.
static_busybox_present() {
  if have dpkg-query; then dpkg_installed busybox-static; else have busybox; fi
}

missing=()
have dockerd || missing+=(docker.io)
have docker-compose || missing+=(docker-compose)
static_busybox_present || missing+=(busybox-static)
have ip || missing+=(iproute2)
if [ "$want_podman" -eq 1 ]; then have podman || missing+=(podman); fi

if [ "${#missing[@]}" -gt 0 ]; then
  if ! is_root || ! have apt-get; then
    fail "missing: ${missing[*]}. Install them (on Debian: sudo apt-get install -y ${missing[*]}) and run this again."
  fi
  say "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq </dev/null
  apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null
fi

engine_answers() { "$docker_cli" info >/dev/null 2>&1; }

if engine_answers; then
  say "docker engine is up ($("$docker_cli" version --format '{{.Server.Version}}' 2>/dev/null || echo '?'))"
  exit 0
fi

if [ -n "${DOCKER_HOST:-}" ]; then
  fail "DOCKER_HOST=$DOCKER_HOST does not answer 'docker info'; start that engine, or unset DOCKER_HOST to use a local dockerd."
fi
if ! is_root; then
  fail "the docker engine is not running. Start it (sudo systemctl start docker, or sudo $0), or make 'docker info' work for this user."
fi

daemon_pid=
if [ -d /run/systemd/system ] && have systemctl && systemctl start docker 2>/dev/null; then
  say "started docker.service"
else
  say "starting dockerd in the background (log: $log)"
  # setsid: the daemon outlives this script and its terminal; no stdin and its output in the
  # log, so a CI runner never waits on it.
  setsid dockerd >"$log" 2>&1 </dev/null &
  daemon_pid=$!
fi

for _ in $(seq "$wait_seconds"); do
  if engine_answers; then
    say "docker engine is up ($("$docker_cli" version --format '{{.Server.Version}}' 2>/dev/null || echo '?'))"
    exit 0
  fi
  if [ -n "$daemon_pid" ] && ! kill -0 "$daemon_pid" 2>/dev/null; then
    say "dockerd exited; last lines of $log:"
    tail -n 40 "$log" >&2 || true
    exit 1
  fi
  sleep 1
done

say "dockerd did not answer 'docker info' within ${wait_seconds}s; last lines of $log:"
tail -n 40 "$log" >&2 2>/dev/null || true
if [ -n "$daemon_pid" ]; then
  say "stopping the dockerd it started (pid $daemon_pid)"
  kill "$daemon_pid" 2>/dev/null || true
fi
exit 1
