#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Install everything hostiam needs to build, test and run its demo, from Debian's archive.
# Needs root (or sudo). Safe to run again.
set -e
# clang and libclang-rt-dev (libFuzzer, which clang only recommends) are for scripts/fuzz.sh;
# clang-format for make indent-check.
pkgs="build-essential autoconf automake libtool pkg-config
      libldap2-dev libconfig-dev liboath-dev libpam0g-dev libcmocka-dev libqrencode-dev libcrypt-dev
      libsystemd-dev
      slapd ldap-utils gnutls-bin libnss-wrapper libpam-wrapper pamtester oathtool
      python3 procps clang libclang-rt-dev clang-format
      debhelper dpkg-dev fakeroot lintian rpm rpmlint
      openssh-server openssh-client sudo python3-pexpect"
missing=$(dpkg-query -W -f='${db:Status-Status} ${Package}\n' $pkgs 2>/dev/null |
          awk '$1 != "installed" {print $2}')
# dpkg-query says nothing about packages it has never heard of: compare the counts too.
known=$(dpkg-query -W -f='${Package}\n' $pkgs 2>/dev/null | wc -l)
[ -z "$missing" ] && [ "$known" -eq "$(echo $pkgs | wc -w)" ] && exit 0
SUDO=; [ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends $pkgs
# The slapd package starts a system-wide server; hostiam's tests and demo start their own.
$SUDO sh -c 'command -v service >/dev/null && service slapd stop >/dev/null 2>&1 || true'
# Likewise openssh-server's sshd: the end-to-end tests (make check-e2e) start their own.
$SUDO sh -c 'command -v service >/dev/null && service ssh stop >/dev/null 2>&1 || true'
