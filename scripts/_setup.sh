# shellcheck shell=bash
# Set-up shared by scripts/run and scripts/test; sourced, never run on its own.
#
# Brings a fresh Debian or Ubuntu machine (with only Python 3.11 or newer) to the point where
# Frontdesk runs, and costs only a few hundredths of a second when everything is already there:
# each check is a file test or one `ldconfig -p`, and pip runs only when pyproject.toml or
# requirements.lock changed since the last install.

FRONTDESK_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$FRONTDESK_ROOT"

PYTHON=${PYTHON:-python3}
VENV="$FRONTDESK_ROOT/.venv"

# Shared libraries PySide6 6.12 loads for QtCore/QtGui/QtWidgets/QtPrintSupport/QtSvg and the
# xcb and offscreen platform plugins (found with ldd on the wheels' .so files), each with the
# Debian 12 package that ships it. Ubuntu 24.04 renamed some (libglib2.0-0t64, libcups2t64),
# but its new packages provide the old names, so apt-get accepts these on both.
# (QtWebEngine's libnss3/libxcomposite1/libxdamage1/libxtst6/libasound2 and the
# libxcb-xinerama0 that Qt 5 used are not needed: nothing we import links them.)
FRONTDESK_QT_LIBS=(
    libEGL.so.1=libegl1
    libGL.so.1=libgl1
    libglib-2.0.so.0=libglib2.0-0
    libgthread-2.0.so.0=libglib2.0-0
    libfontconfig.so.1=libfontconfig1
    libfreetype.so.6=libfreetype6
    libdbus-1.so.3=libdbus-1-3
    libxkbcommon.so.0=libxkbcommon0
    libxkbcommon-x11.so.0=libxkbcommon-x11-0
    libX11.so.6=libx11-6
    libX11-xcb.so.1=libx11-xcb1
    libxcb.so.1=libxcb1
    libxcb-cursor.so.0=libxcb-cursor0
    libxcb-glx.so.0=libxcb-glx0
    libxcb-icccm.so.4=libxcb-icccm4
    libxcb-image.so.0=libxcb-image0
    libxcb-keysyms.so.1=libxcb-keysyms1
    libxcb-randr.so.0=libxcb-randr0
    libxcb-render.so.0=libxcb-render0
    libxcb-render-util.so.0=libxcb-render-util0
    libxcb-shape.so.0=libxcb-shape0
    libxcb-shm.so.0=libxcb-shm0
    libxcb-sync.so.1=libxcb-sync1
    libxcb-util.so.1=libxcb-util1
    libxcb-xfixes.so.0=libxcb-xfixes0
    libxcb-xkb.so.1=libxcb-xkb1
    # the print dialog lists the clinic's printers through CUPS
    libcups.so.2=libcups2
)

# Fonts the documents and the screens use: Chinese names need a CJK font.
FRONTDESK_FONTS=(
    /usr/share/fonts/truetype/wqy/wqy-microhei.ttc=fonts-wqy-microhei
    /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf=fonts-dejavu-core
)

frontdesk_say() {
    printf '%s\n' "$*" >&2
}

frontdesk_die() {
    frontdesk_say "$@"
    exit 1
}

# Python 3.11 or newer: the one in .venv once it exists, else $PYTHON (default python3),
# which is then used to create .venv. One interpreter start only (pyenv shims are slow).
frontdesk_check_python() {
    local python=$PYTHON
    if [[ -x "$VENV/bin/python" ]]; then
        python=$VENV/bin/python
    elif ! command -v "$PYTHON" >/dev/null 2>&1; then
        frontdesk_die "Python was not found (looked for '$PYTHON'). Install Python 3.11 or newer," \
            "or point PYTHON at one, e.g. PYTHON=/usr/bin/python3.11 $0"
    fi
    local version
    version=$("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
    if [[ "${version%%.*}" -lt 3 || ( "${version%%.*}" -eq 3 && "${version#*.}" -lt 11 ) ]]; then
        if [[ "$python" == "$VENV/bin/python" ]]; then
            frontdesk_die "Frontdesk needs Python 3.11 or newer; .venv holds Python $version." \
                "Remove it (rm -rf .venv) and run again with PYTHON=/path/to/python3.11 $0"
        fi
        frontdesk_die "Frontdesk needs Python 3.11 or newer; '$PYTHON' is Python $version." \
            "Install a newer Python and run again with PYTHON=/path/to/python3.11 $0"
    fi
    FRONTDESK_PY_VERSION=$version
}

# The first PostgreSQL server's bin folder: PATH first, then Debian's versioned folders.
frontdesk_postgres_bin() {
    local initdb
    if initdb=$(command -v initdb 2>/dev/null) && command -v pg_ctl >/dev/null 2>&1; then
        dirname "$initdb"
        return 0
    fi
    local dir
    for dir in /usr/lib/postgresql/*/bin; do
        if [[ -x "$dir/initdb" && -x "$dir/pg_ctl" ]]; then
            printf '%s\n' "$dir"
            return 0
        fi
    done
    return 1
}

# Install (as root) or name (otherwise) the system packages that are missing.
# $1: "run" or "test".
frontdesk_system_packages() {
    local mode=$1
    local -a missing=()
    local entry name package

    local ldconfig_bin=ldconfig
    command -v ldconfig >/dev/null 2>&1 || ldconfig_bin=/sbin/ldconfig
    local known
    known=$("$ldconfig_bin" -p 2>/dev/null | awk '{print $1}')
    local -A present=()
    while IFS= read -r name; do
        [[ -n "$name" ]] && present[$name]=1
    done <<<"$known"

    for entry in "${FRONTDESK_QT_LIBS[@]}"; do
        name=${entry%%=*}
        package=${entry#*=}
        [[ -n "${present[$name]:-}" ]] || missing+=("$package")
    done
    for entry in "${FRONTDESK_FONTS[@]}"; do
        name=${entry%%=*}
        package=${entry#*=}
        [[ -e "$name" ]] || missing+=("$package")
    done
    # Debian's own python3 ships venv (ensurepip) in a separate package.
    if [[ ! -x "$VENV/bin/python" ]] && ! "$PYTHON" -c 'import ensurepip' >/dev/null 2>&1; then
        missing+=("python${FRONTDESK_PY_VERSION}-venv")
    fi
    if [[ "$mode" == test ]]; then
        # the document tests turn PDFs into images with pdftoppm
        command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
        if ! frontdesk_postgres_bin >/dev/null; then
            # CI must test PostgreSQL; elsewhere it comes along when apt runs anyway
            if [[ -n "${CI:-}" || ${#missing[@]} -gt 0 ]]; then
                missing+=(postgresql)
            else
                frontdesk_say "Note: PostgreSQL is not installed, so its tests will be skipped" \
                    "(sudo apt-get install postgresql to run them)."
            fi
        fi
    fi
    [[ ${#missing[@]} -eq 0 ]] && return 0

    # one of each, in a stable order
    mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
    local -a apt_install=(apt-get install -y --no-install-recommends "${missing[@]}")
    if ! command -v apt-get >/dev/null 2>&1; then
        frontdesk_die "These system packages (Debian names) are missing: ${missing[*]}." \
            "Install their equivalents with your system's package manager, then run $0 again."
    fi
    if [[ $(id -u) -ne 0 ]]; then
        frontdesk_say "Some system packages are missing. Install them with:"
        frontdesk_say "    sudo ${apt_install[*]}"
        frontdesk_die "then run $0 again."
    fi
    frontdesk_say "==> Installing system packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    "${apt_install[@]}"
}

# Create .venv when missing and install Frontdesk into it when its pins changed.
# $1: "run" (the application) or "test" (with the test and lint tools).
frontdesk_venv() {
    local mode=$1
    if [[ ! -x "$VENV/bin/python" ]]; then
        frontdesk_say "==> Creating the virtual environment in .venv"
        "$PYTHON" -m venv "$VENV"
    fi
    local wanted
    wanted=$(cat pyproject.toml requirements.lock | sha256sum)
    wanted=${wanted%% *}
    # the test install is a superset of the run install, so either stamp will do for "run"
    local stamp
    for stamp in "$VENV/.frontdesk-installed-test" "$VENV/.frontdesk-installed-$mode"; do
        if [[ -f "$stamp" && "$(<"$stamp")" == "$wanted" ]]; then
            return 0
        fi
    done
    local target=.
    [[ "$mode" == test ]] && target=".[test]"
    frontdesk_say "==> Installing Frontdesk and its pinned libraries into .venv"
    "$VENV/bin/python" -m pip install --disable-pip-version-check -q \
        -c requirements.lock -e "$target"
    printf '%s\n' "$wanted" >"$VENV/.frontdesk-installed-$mode"
}

# Everything a mode needs, in order.
frontdesk_setup() {
    local mode=$1
    frontdesk_check_python
    frontdesk_system_packages "$mode"
    frontdesk_venv "$mode"
}
