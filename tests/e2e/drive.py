#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
# Run a command on a pty and answer pam_hostiam's "Verification code:" prompt.
#   drive.py [--code CODE] [--no-prompt] -- ARGV...
# --code: the answer (an empty string sends an empty line); without it a prompt is an error.
# --no-prompt: fail (exit 3) if a prompt appears at all.
# Prints the command's output on stdout, "prompts=N" on stderr; exits with the command's
# status (or 3 for a prompt it was told not to expect, 4 for a timeout).
import sys
import pexpect

args = sys.argv[1:]
code = None
no_prompt = False
while args and args[0] != "--":
    if args[0] == "--code":
        code = args[1]
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
status = None
while True:
    i = child.expect(["Verification code: ?", pexpect.EOF, pexpect.TIMEOUT])
    out.append(child.before or "")
    if i == 0:
        prompts += 1
        out.append("[Verification code:]")
        if no_prompt or code is None or prompts > 1:
            # Never answer twice: a second prompt means the first answer was refused.
            child.sendcontrol("c") if prompts > 1 else child.sendline("")
            if no_prompt:
                status = 3
            continue
        child.sendline(code)
    elif i == 1:
        break
    else:
        status = 4
        child.terminate(force=True)
        break
child.close()
sys.stdout.write("".join(out).replace("\r", ""))
sys.stderr.write("prompts=%d\n" % prompts)
if status is None:
    status = child.exitstatus if child.exitstatus is not None else 128 + (child.signalstatus or 0)
sys.exit(status)
