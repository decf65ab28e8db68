/**
 * A real OpenLDAP server (Debian's slapd) for the LDAP sign-in test, in a temp dir on an
 * ephemeral port: suffix dc=farmhand,dc=local, people under ou=people, groups (groupOfNames)
 * under ou=groups, filled through ldapts as the directory's root.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'ldapts';

export const SUFFIX = 'dc=farmhand,dc=local';
const ROOT_DN = `cn=admin,${SUFFIX}`;
const ROOT_PW = 'slapd-test-root';

export interface Slapd {
  url: string;
  addUser(uid: string, password: string, displayName: string): Promise<void>;
  addGroup(cn: string, memberUids: string[]): Promise<void>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export async function startSlapd(): Promise<Slapd> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'farmhand-slapd-'));
  fs.mkdirSync(path.join(dir, 'db'));
  const schema = (name: string) => `include /etc/ldap/schema/${name}.schema`;
  fs.writeFileSync(
    path.join(dir, 'slapd.conf'),
    [
      schema('core'),
      schema('cosine'),
      schema('inetorgperson'),
      schema('nis'),
      `pidfile ${dir}/slapd.pid`,
      'modulepath /usr/lib/ldap',
      'moduleload back_mdb',
      'database mdb',
      `suffix "${SUFFIX}"`,
      `rootdn "${ROOT_DN}"`,
      `rootpw ${ROOT_PW}`,
      `directory ${dir}/db`,
      'access to attrs=userPassword by anonymous auth by self write by * none',
      'access to * by * read',
      '',
    ].join('\n'),
  );
  const port = await freePort();
  const url = `ldap://127.0.0.1:${port}`;
  const child: ChildProcess = spawn('/usr/sbin/slapd', ['-f', path.join(dir, 'slapd.conf'), '-h', `${url}/`, '-d', '0'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (b: Buffer) => {
    stderr += b.toString();
  });
  const admin = new Client({ url, timeout: 5_000, connectTimeout: 2_000 });
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      await admin.bind(ROOT_DN, ROOT_PW);
      break;
    } catch (e) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`slapd did not start: ${String(e)}\n${stderr}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  await admin.add(SUFFIX, { objectClass: ['dcObject', 'organization'], dc: 'farmhand', o: 'Farmhand test' });
  await admin.add(`ou=people,${SUFFIX}`, { objectClass: 'organizationalUnit', ou: 'people' });
  await admin.add(`ou=groups,${SUFFIX}`, { objectClass: 'organizationalUnit', ou: 'groups' });
  return {
    url,
    async addUser(uid, password, displayName) {
      await admin.add(`uid=${uid},ou=people,${SUFFIX}`, {
        objectClass: ['inetOrgPerson'],
        uid,
        cn: displayName,
        sn: displayName.split(' ').at(-1) ?? uid,
        displayName,
        mail: `${uid}@studio.test`,
        userPassword: password,
      });
    },
    async addGroup(cn, memberUids) {
      await admin.add(`cn=${cn},ou=groups,${SUFFIX}`, {
        objectClass: 'groupOfNames',
        cn,
        member: memberUids.map((u) => `uid=${u},ou=people,${SUFFIX}`),
      });
    },
    async stop() {
      await admin.unbind().catch(() => undefined);
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
