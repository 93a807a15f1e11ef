#!/bin/sh
# What both vidbatch images need on top of BASE: Java 17 or newer, ffmpeg and ffprobe, the
# DejaVu fonts (text watermarks), and the user 1001 the containers run as.
#
# A BASE that already has them (a prepared image, e.g. for builds without network) is used as
# it is; otherwise they are installed with Debian's apt-get.
set -eu

has_java17() {
  command -v java >/dev/null 2>&1 || return 1
  # "openjdk version "17.0.13" ..." -> 17; "1.8.0_..." -> 1
  major=$(java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n 1)
  [ -n "$major" ] && [ "$major" -ge 17 ]
}
font=/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf

if has_java17 && command -v ffmpeg >/dev/null 2>&1 && command -v ffprobe >/dev/null 2>&1 && [ -f "$font" ]; then
  echo "install-runtime: BASE already has Java 17+, ffmpeg, ffprobe and DejaVu fonts"
elif command -v apt-get >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update
  apt-get install -y --no-install-recommends openjdk-17-jre-headless ffmpeg fonts-dejavu-core
  apt-get clean
  rm -rf /var/lib/apt/lists/*
else
  echo "install-runtime: BASE lacks Java 17+, ffmpeg/ffprobe or DejaVu fonts and has no apt-get" >&2
  exit 1
fi
has_java17 || { echo "install-runtime: no Java 17+ after installing" >&2; exit 1; }
java -version
ffmpeg -hide_banner -version | head -n 1
[ -f "$font" ]
# util-linux's setpriv ties ffmpeg to the JVM that starts it (docs/security.md, "Child processes");
# Debian always has it. Without it vidbatch still runs, and logs that a killed JVM leaves ffmpeg running.
[ -x /usr/bin/setpriv ] || echo "install-runtime: no /usr/bin/setpriv (util-linux): ffmpeg will outlive a killed coordinator" >&2

# The user both images run as (Kubernetes sets it again with runAsUser: 1001).
if ! getent group 1001 >/dev/null; then groupadd --gid 1001 vidbatch; fi
if ! getent passwd 1001 >/dev/null; then
  useradd --uid 1001 --gid 1001 --no-create-home --home-dir /opt/vidbatch --shell /usr/sbin/nologin vidbatch
fi
