/**
 * Who a frame runs as. When rqd runs as root the frame runs as the submitting user — uid, gid,
 * supplementary groups and home looked up through NSS (`getent`, `id`), so LDAP users work the
 * same as local ones. A user unknown on this host fails the frame with a clear message, unless
 * the single-user setting says every frame runs as rqd's own user.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';

export interface FrameUser {
  name: string;
  uid: number;
  gid: number;
  groups: number[];
  home: string;
}

export class UnknownUserError extends Error {}

/** The account `name` on this host, or an UnknownUserError saying so. */
export function lookupUser(name: string): FrameUser {
  let line: string;
  try {
    line = execFileSync('getent', ['passwd', name], { encoding: 'utf8' }).trim().split('\n')[0] ?? '';
  } catch {
    throw new UnknownUserError(
      `user '${name}' does not exist on host ${os.hostname()}: add the account (or join the host to the directory), or start rqd with --single-user to run every frame as rqd's own user`,
    );
  }
  const [, , uid, gid, , home] = line.split(':');
  let groups: number[] = [Number(gid)];
  try {
    groups = execFileSync('id', ['-G', name], { encoding: 'utf8' }).trim().split(/\s+/).map(Number);
  } catch {
    // keep the primary group alone
  }
  return { name, uid: Number(uid), gid: Number(gid), groups, home: home ?? '/' };
}

/** rqd's own account, for single-user hosts and when rqd is not root. */
export function currentUser(): FrameUser {
  const info = os.userInfo();
  return { name: info.username, uid: info.uid, gid: info.gid, groups: [info.gid], home: info.homedir };
}

export function isRoot(): boolean {
  return process.getuid?.() === 0;
}

/** The account a frame submitted by `submitter` runs as on this host. */
export function frameUser(submitter: string, singleUser: boolean): FrameUser {
  if (singleUser || !isRoot()) return currentUser();
  return lookupUser(submitter);
}

/** Where the frame starts: the user's home when it exists, the temp dir otherwise (e.g. `nobody`). */
export function workingDirectory(user: FrameUser): string {
  return user.home && existsSync(user.home) ? user.home : os.tmpdir();
}

/**
 * The program and arguments that run `command` through `/bin/sh -c` as `user`. Node's spawn can
 * set uid and gid but drops supplementary groups, so another user goes through `setpriv`, which
 * sets all three and then execs the shell in the same process.
 */
export function shellInvocation(command: string, user: FrameUser): { file: string; args: string[] } {
  if (!isRoot() || user.uid === process.getuid?.()) return { file: '/bin/sh', args: ['-c', command] };
  return {
    file: 'setpriv',
    args: [`--reuid=${user.uid}`, `--regid=${user.gid}`, `--groups=${user.groups.join(',')}`, '--', '/bin/sh', '-c', command],
  };
}
