# Shared by scripts/start and scripts/test: the virtual environment and system tools.
# python3 is 3.13 here through .python-version (pyenv); any Python >= 3.12 works.

apt_install() {
    # Install Debian packages (as root, or with sudo), else explain what is missing.
    local sudo=""
    if [ "$(id -u)" != 0 ]; then
        if ! command -v sudo >/dev/null 2>&1; then
            echo "Please install: $* (Debian/Ubuntu: apt-get install $*)" >&2
            return 1
        fi
        sudo=sudo
    fi
    $sudo apt-get install -y -q "$@" >/dev/null 2>&1 \
        || { $sudo apt-get update -q >/dev/null 2>&1; $sudo apt-get install -y -q "$@" >/dev/null; }
}

install_env() {
    local extras="$1"
    if ! python3 -c 'import sys; sys.exit(sys.version_info < (3, 12))'; then
        echo "Tongxue needs Python 3.12 or newer (python3 is $(python3 --version))." >&2
        exit 1
    fi
    command -v msgfmt >/dev/null 2>&1 || apt_install gettext
    [ -x .venv/bin/python ] || python3 -m venv .venv
    .venv/bin/python -m pip install -q --disable-pip-version-check -e ".${extras:+[$extras]}"
    .venv/bin/python manage.py compilemessages -v0 --ignore=.venv
}

ensure_chromium() {
    command -v chromium >/dev/null 2>&1 || apt_install chromium
    # CJK fonts so that screenshots of pages are readable (phones bring their own).
    fc-list :lang=zh 2>/dev/null | grep -q . || apt_install fonts-noto-cjk
}
