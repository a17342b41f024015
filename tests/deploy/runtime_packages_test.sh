#!/usr/bin/env bash
# The Docker image's last stage installs `install-deps.sh --runtime`: that
# list must hold every shared library the built kring links (its ELF NEEDED
# entries; what those load in turn, apt installs as their dependencies), or
# the image would build and then fail to start. (No container engine runs here, so
# the image itself is not built by the tests.)
# Usage: runtime_packages_test.sh SOURCE_DIR KRING_BINARY
set -euo pipefail

source_dir=$1
binary=$2
listed=$("$source_dir/deploy/install-deps.sh" --runtime --list)
status=0
while read -r library; do
    # Debian's files are under /usr (merged /usr); ldd may say /lib.
    path=$(readlink -f "$library")
    package=$(dpkg -S "$path" 2>/dev/null || dpkg -S "/usr$path" 2>/dev/null || true)
    package=${package%%:*}
    case $package in
        libc6|libgcc-s1|"") ;; # in every Debian image (and the loader itself)
        *) grep -qx "$package" <<<"$listed" || { echo "FAIL: kring loads $library from $package, not in --runtime"; status=1; } ;;
    esac
done < <(needed=$(readelf -d "$binary" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
         ldd "$binary" | awk -v needed="$needed" 'BEGIN { split(needed, n, "\n"); for (i in n) want[n[i]] = 1 }
                                                 $3 ~ /^\// && ($1 in want) { print $3 }')
grep -q '^RUN /src/deploy/install-deps.sh ' "$source_dir/deploy/Dockerfile" || { echo "FAIL: the build stage does not use install-deps.sh"; status=1; }
grep -q '^RUN /tmp/install-deps.sh --runtime ' "$source_dir/deploy/Dockerfile" || { echo "FAIL: the last stage does not use install-deps.sh --runtime"; status=1; }
grep -q '^USER kring' "$source_dir/deploy/Dockerfile" || { echo "FAIL: the image runs as root"; status=1; }
[ $status -eq 0 ] && echo ok
exit $status
