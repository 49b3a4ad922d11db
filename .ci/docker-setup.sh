#!/usr/bin/env bash
# Make this machine ready for the image tests, quietly and idempotently (fast when everything is already there):
#   - install docker.io, docker-registry, busybox-static, debootstrap and skopeo (apt-get) when missing;
#   - start dockerd when no engine answers (waits up to 60 s; log in the state dir);
#   - start Debian's docker-registry on 127.0.0.1:5000 when nothing answers there (storage under /tmp);
#   - make the base images the tests build FROM (same recipes and labels as __tests__/helpers/docker.ts):
#       defang-test/busybox:1        scratch + static busybox, applet symlinks in /bin, /etc/passwd, /etc/group
#       defang-test/debian:bookworm  debootstrap --variant=minbase bookworm (/tmp/deb-rootfs, made when missing)
#     and push both to the registry as 127.0.0.1:5000/defang-test/…
# `.ci/docker-setup.sh --stop` stops the dockerd and registry this script started (PIDs in the state dir).
# Environment: DEFANG_DOCKER_STATE (state dir, default /tmp/defang-docker-setup), DEFANG_TEST_IMAGE_PREFIX (default
# defang-test), DEFANG_DEBIAN_ROOTFS (default /tmp/deb-rootfs), DEFANG_DEBIAN_MIRROR, DEFANG_SETUP_VERBOSE=1.
set -euo pipefail

STATE_DIR=${DEFANG_DOCKER_STATE:-/tmp/defang-docker-setup}
PREFIX=${DEFANG_TEST_IMAGE_PREFIX:-defang-test}
ROOTFS=${DEFANG_DEBIAN_ROOTFS:-/tmp/deb-rootfs}
MIRROR=${DEFANG_DEBIAN_MIRROR:-http://deb.debian.org/debian}
REGISTRY_HOST=127.0.0.1
REGISTRY_PORT=5000
REGISTRY="$REGISTRY_HOST:$REGISTRY_PORT"
RECIPE_LABEL=org.defang.test.recipe
BUSYBOX_RECIPE=busybox-scratch-1
DEBIAN_RECIPE=debian-bookworm-minbase-1
BUSYBOX_TAG="$PREFIX/busybox:1"
DEBIAN_TAG="$PREFIX/debian:bookworm"

say() { echo "[docker-setup] $*" >&2; }
info() { if [ "${DEFANG_SETUP_VERBOSE:-0}" = 1 ]; then say "$@"; fi; }
die() { say "error: $*"; exit 1; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo -n "$@"
  else die "need root for: $*"
  fi
}

# The PID recorded in the state dir for NAME, if that process is still the one we started (its command line
# still matches PATTERN), else nothing.
recorded_pid() {
  local name=$1 pattern=$2 pid
  [ -f "$STATE_DIR/$name.pid" ] || return 0
  pid=$(cat "$STATE_DIR/$name.pid")
  if [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "$pattern"; then
    echo "$pid"
  fi
}

# Running, and not a zombie waiting for its parent.
alive() {
  local state
  state=$(sed -n 's/^State:[[:space:]]*\([A-Z]\).*/\1/p' "/proc/$1/status" 2>/dev/null || true)
  [ -n "$state" ] && [ "$state" != Z ]
}

stop_one() {
  local name=$1 pattern=$2 pid i
  pid=$(recorded_pid "$name" "$pattern")
  if [ -n "$pid" ]; then
    kill "$pid" 2>/dev/null || true
    for i in $(seq 1 100); do
      alive "$pid" || break
      if [ "$i" = 100 ]; then kill -9 "$pid" 2>/dev/null || true; fi
      sleep 0.2
    done
    say "stopped $name (pid $pid)"
  fi
  rm -f "$STATE_DIR/$name.pid"
}

if [ "${1:-}" = "--stop" ]; then
  stop_one registry docker-registry
  stop_one dockerd dockerd
  exit 0
elif [ $# -gt 0 ]; then
  die "usage: $0 [--stop]"
fi

mkdir -p "$STATE_DIR"

# 1. Packages.
declare -A PKG_FOR=([docker]=docker.io [dockerd]=docker.io [docker-registry]=docker-registry [debootstrap]=debootstrap [skopeo]=skopeo)
missing=()
for cmd in docker dockerd docker-registry debootstrap skopeo; do
  command -v "$cmd" >/dev/null 2>&1 || missing+=("${PKG_FOR[$cmd]}")
done
busybox_bin=""
for b in /bin/busybox /usr/bin/busybox; do
  # A static busybox: ldd fails on it ("not a dynamic executable").
  if [ -x "$b" ] && ! ldd "$b" >/dev/null 2>&1; then busybox_bin=$b; break; fi
done
[ -n "$busybox_bin" ] || missing+=(busybox-static)
if [ ${#missing[@]} -gt 0 ]; then
  mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
  say "installing: ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  for b in /bin/busybox /usr/bin/busybox; do
    if [ -x "$b" ] && ! ldd "$b" >/dev/null 2>&1; then busybox_bin=$b; break; fi
  done
  [ -n "$busybox_bin" ] || die "busybox-static installed but no static busybox found"
fi

# 2. The engine.
engine_up() { timeout 20 docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }
if ! engine_up; then
  say "starting dockerd (log: $STATE_DIR/dockerd.log)"
  # shellcheck disable=SC2016 # expanded by the inner shell
  as_root bash -c 'nohup dockerd >"$1" 2>&1 </dev/null & echo $! >"$2"' _ "$STATE_DIR/dockerd.log" "$STATE_DIR/dockerd.pid"
  for _ in $(seq 1 60); do
    engine_up && break
    sleep 1
  done
  if ! engine_up; then
    tail -n 20 "$STATE_DIR/dockerd.log" >&2 || true
    die "dockerd did not answer within 60 s"
  fi
fi
info "engine $(docker version --format '{{.Server.Version}}')"

# 3. The registry on 127.0.0.1:5000.
# The HTTP status of METHOD PATH on the registry, over bash's /dev/tcp (no curl needed).
registry_status() {
  # shellcheck disable=SC2016 # expanded by the inner shell
  timeout 5 bash -c '
    exec 3<>"/dev/tcp/$0/$1" || exit 1
    printf "%s %s HTTP/1.0\r\nHost: %s:%s\r\nAccept: application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json\r\n\r\n" "$2" "$3" "$0" "$1" >&3
    IFS=" " read -r _ status _ <&3
    echo "$status"
  ' "$REGISTRY_HOST" "$REGISTRY_PORT" "$1" "$2" 2>/dev/null || true
}
registry_up() { [ "$(registry_status GET /v2/)" = 200 ]; }
if ! registry_up; then
  config="$STATE_DIR/registry.yml"
  cat >"$config" <<EOF
version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: /tmp/defang-registry
  delete:
    enabled: true
http:
  addr: $REGISTRY
EOF
  say "starting docker-registry on $REGISTRY (log: $STATE_DIR/registry.log)"
  nohup docker-registry serve "$config" >"$STATE_DIR/registry.log" 2>&1 </dev/null &
  echo $! >"$STATE_DIR/registry.pid"
  for _ in $(seq 1 75); do
    registry_up && break
    sleep 0.2
  done
  if ! registry_up; then
    tail -n 20 "$STATE_DIR/registry.log" >&2 || true
    die "docker-registry did not answer on $REGISTRY within 15 s"
  fi
fi

# 4. The base images.
recipe_of() { docker image inspect --format "{{index .Config.Labels \"$RECIPE_LABEL\"}}" "$1" 2>/dev/null || true; }

make_busybox() {
  local dir applet
  dir=$(mktemp -d /tmp/defang-busybox-rootfs-XXXXXX)
  mkdir -p "$dir/bin" "$dir/etc" "$dir/root" "$dir/tmp"
  cp "$busybox_bin" "$dir/bin/busybox"
  while IFS= read -r applet; do
    case "$applet" in busybox | "" | */*) continue ;; esac
    ln -s busybox "$dir/bin/$applet"
  done < <("$busybox_bin" --list)
  # Keep in step with BUSYBOX_PASSWD / BUSYBOX_GROUP in __tests__/helpers/docker.ts.
  printf '%s\n' 'root:x:0:0:root:/root:/bin/sh' 'daemon:x:1:1:daemon:/usr/sbin:/bin/false' \
    'nobody:x:65534:65534:nobody:/nonexistent:/bin/false' >"$dir/etc/passwd"
  printf '%s\n' 'root:x:0:' 'daemon:x:1:' 'nogroup:x:65534:' >"$dir/etc/group"
  chmod 0755 "$dir/bin/busybox" "$dir/bin" "$dir/etc"
  chmod 0644 "$dir/etc/passwd" "$dir/etc/group"
  chmod 0700 "$dir/root"
  chmod 1777 "$dir/tmp"
  tar --numeric-owner --owner=0 --group=0 --sort=name --mtime=@0 -C "$dir" -c . |
    docker import --change "LABEL $RECIPE_LABEL=$BUSYBOX_RECIPE" --change 'CMD ["sh"]' - "$BUSYBOX_TAG" >/dev/null
  rm -rf "$dir"
}

make_debian() {
  if [ ! -e "$ROOTFS/usr/bin/passwd" ]; then
    [ ! -e "$ROOTFS" ] || die "$ROOTFS exists but is not a Debian root filesystem; remove it"
    local partial
    partial=$(mktemp -d "$ROOTFS.partial-XXXXXX")
    say "debootstrap --variant=minbase bookworm into $ROOTFS (a few minutes)"
    if ! as_root debootstrap --variant=minbase bookworm "$partial" "$MIRROR" >"$STATE_DIR/debootstrap.log" 2>&1; then
      tail -n 20 "$STATE_DIR/debootstrap.log" >&2 || true
      rm -rf "$partial"
      die "debootstrap failed"
    fi
    mv "$partial" "$ROOTFS"
  fi
  tar --numeric-owner --one-file-system --sort=name -C "$ROOTFS" -c . |
    docker import --change "LABEL $RECIPE_LABEL=$DEBIAN_RECIPE" --change 'CMD ["bash"]' - "$DEBIAN_TAG" >/dev/null
}

if [ "$(recipe_of "$BUSYBOX_TAG")" != "$BUSYBOX_RECIPE" ]; then
  say "making $BUSYBOX_TAG"
  make_busybox
fi
if [ "$(recipe_of "$DEBIAN_TAG")" != "$DEBIAN_RECIPE" ]; then
  say "making $DEBIAN_TAG"
  make_debian
fi

# Push to the registry unless it already serves this very image (same id locally, a RepoDigest the registry has).
push_if_needed() {
  local local_ref=$1 remote=$2 local_id remote_id digests
  local_id=$(docker image inspect --format '{{.Id}}' "$local_ref")
  remote_id=$(docker image inspect --format '{{.Id}}' "$remote" 2>/dev/null || true)
  if [ "$local_id" = "$remote_id" ]; then
    local name=${remote%:*} digest
    digests=$(docker image inspect --format '{{range .RepoDigests}}{{println .}}{{end}}' "$remote" 2>/dev/null || true)
    while IFS= read -r digest; do
      case "$digest" in "$name@sha256:"*) ;; *) continue ;; esac
      # The registry still serves the manifest this image was pushed as.
      if [ "$(registry_status HEAD "/v2/${name#"$REGISTRY"/}/manifests/${digest#*@}")" = 200 ]; then
        info "$remote already in the registry"
        return 0
      fi
    done <<<"$digests"
  fi
  say "pushing $remote"
  docker tag "$local_ref" "$remote"
  docker push "$remote" >/dev/null
}
push_if_needed "$BUSYBOX_TAG" "$REGISTRY/$BUSYBOX_TAG"
push_if_needed "$DEBIAN_TAG" "$REGISTRY/$DEBIAN_TAG"
info "ready: $BUSYBOX_TAG $DEBIAN_TAG $REGISTRY/$BUSYBOX_TAG $REGISTRY/$DEBIAN_TAG"
