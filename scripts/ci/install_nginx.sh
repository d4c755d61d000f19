#!/bin/sh
# Install nginx for the deploy-config test (tests/deploy/test_stack.py starts it on loopback
# with deploy/nginx/*.conf in front of two gunicorn instances). Idempotent: does nothing when
# nginx is present. Run as root (CI image) or with sudo. The distribution's service is not
# started: the test runs its own nginx with a config and prefix in a temporary directory.
set -eu

if command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; then
    echo "install_nginx: $(/usr/sbin/nginx -v 2>&1 || nginx -v 2>&1) already present"
    exit 0
fi

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "install_nginx: installing nginx-light"
$SUDO apt-get update -qq
# policy-rc.d 101: do not start the packaged service during install (no systemd in CI).
if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
    $SUDO chmod +x /usr/sbin/policy-rc.d
    trap '$SUDO rm -f /usr/sbin/policy-rc.d' EXIT
fi
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends nginx-light \
    || DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends nginx
/usr/sbin/nginx -v
