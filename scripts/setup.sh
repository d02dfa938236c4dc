# Shared setup for scripts/run and scripts/test: installs what Veille needs on Debian 12
# when it is missing (as root, or through sudo). Sourced, not run.

# Building the desktop app (Tauri 2 on WebKitGTK).
BUILD_PACKAGES=(pkg-config build-essential libwebkit2gtk-4.1-dev libssl-dev librsvg2-dev libxdo-dev fonts-noto-cjk)
# Driving the real window in the end-to-end tests.
TEST_PACKAGES=(xvfb xauth dbus-x11 webkit2gtk-driver imagemagick)

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

ensure_packages() {
    local missing=()
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "Installing Debian packages: ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

ensure_e2e_tools() {
    command -v tauri-driver >/dev/null 2>&1 || cargo install tauri-driver --locked --quiet
    python3 -c 'import selenium, pytest' 2>/dev/null || python3 -m pip install --quiet --disable-pip-version-check selenium pytest
}
