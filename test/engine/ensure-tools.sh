#!/usr/bin/env bash
# Installs the tools the tests use besides the engine, when they are missing (Debian, as root):
#
#   test/engine/ensure-tools.sh
#
#   bash-completion           berth completion bash, driven through real bash completion
#   zsh, fish                 the zsh and fish completion scripts are loaded by the real shells
#   man-db, groff-base        man -l renders the man pages
#   sshfs, openssh-server     the sshfs example provider against a real sshd
#   openssh-client            ssh-keygen for that sshd's keys
#   util-linux                flock, which the address-pool provider locks its state with
#   catatonit                 the init of the pods podman kube play starts (berth export's test)
#
# Safe to run again: it installs nothing when everything is there.
set -euo pipefail

say() { echo "ensure-tools: $*" >&2; }
have() { command -v "$1" >/dev/null 2>&1; }
dpkg_installed() {
  [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)" = "install ok installed" ]
}

missing=()
dpkg_installed bash-completion || missing+=(bash-completion)
have zsh || missing+=(zsh)
have fish || missing+=(fish)
have man || missing+=(man-db)
have groff || missing+=(groff-base)
have sshfs || missing+=(sshfs)
[ -x /usr/sbin/sshd ] || missing+=(openssh-server)
have ssh-keygen || missing+=(openssh-client)
have flock || missing+=(util-linux)
have catatonit || [ -x /usr/libexec/podman/catatonit ] || missing+=(catatonit)

if [ "${#missing[@]}" -eq 0 ]; then
  say "all tools present"
  exit 0
fi
if [ "$(id -u)" -ne 0 ] || ! have apt-get; then
  say "missing: ${missing[*]}. Install them (on Debian: sudo apt-get install -y ${missing[*]}) and run this again."
  exit 1
fi
say "installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq </dev/null
apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null
