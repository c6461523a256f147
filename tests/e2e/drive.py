#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
# Run a command on a pty and answer pam_hostiam's prompts.
#   drive.py [--code CODE] [--password PW] [--no-prompt] -- ARGV...
# --code: the answer to "Verification code:" (an empty string sends an empty line); without
#   it a code prompt is an error.
# --password: the answer to "Password:" (and sudo's "[sudo] password for USER:"), once;
#   without it a password prompt is an error.
# --no-prompt: fail (exit 3) if a prompt appears at all.
# Prints the command's output on stdout, "prompts=N passwords=M" on stderr; exits with the
# command's status (or 3 for a prompt it was told not to expect, 4 for a timeout).
import sys
import pexpect

args = sys.argv[1:]
code = None
password = None
no_prompt = False
while args and args[0] != "--":
    if args[0] == "--code":
        code = args[1]
        args = args[2:]
    elif args[0] == "--password":
        password = args[1]
        args = args[2:]
    elif args[0] == "--no-prompt":
        no_prompt = True
        args = args[1:]
    else:
        sys.exit("drive.py: unknown option " + args[0])
args = args[1:]

child = pexpect.spawn(args[0], args[1:], timeout=20, encoding="utf-8",
                      codec_errors="replace")
out = []
prompts = 0
passwords = 0
status = None


def answer(given, count, label):
    """Answer a prompt once; a second one means the first answer was refused."""
    global status
    out.append("[" + label + "]")
    if no_prompt or given is None or count > 1:
        child.sendcontrol("c") if count > 1 else child.sendline("")
        if no_prompt:
            status = 3
        return
    child.sendline(given)


while True:
    i = child.expect(["Verification code: ?", r"(?i)password( for [^:\r\n]*)?: ?",
                      pexpect.EOF, pexpect.TIMEOUT])
    out.append(child.before or "")
    if i == 0:
        prompts += 1
        answer(code, prompts, "Verification code:")
    elif i == 1:
        passwords += 1
        answer(password, passwords, "Password:")
    elif i == 2:
        break
    else:
        status = 4
        child.terminate(force=True)
        break
child.close()
sys.stdout.write("".join(out).replace("\r", ""))
sys.stderr.write("prompts=%d passwords=%d\n" % (prompts, passwords))
if status is None:
    status = child.exitstatus if child.exitstatus is not None else 128 + (child.signalstatus or 0)
sys.exit(status)
