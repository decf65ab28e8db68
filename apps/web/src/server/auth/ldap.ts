/**
 * LDAP / Active Directory sign-in with ldapts: bind as the user (their DN from
 * FARMHAND_LDAP_USER_DN with `{user}` replaced), read their display name and mail, then find
 * the groups naming them as `member`, `uniqueMember` or `memberUid` under
 * FARMHAND_LDAP_GROUP_BASE. Groups become Farmhand rights by name (`groupsToRights`):
 *   farmhand-admins                    → admin
 *   farmhand-wranglers / -artists / -production   → that role on every show
 *   farmhand-wrangler-<show> / farmhand-artist-<show> / farmhand-production-<show> → that role on the show
 * The user name is checked against `userNameSchema` first (letters, digits, . _ -), so it
 * needs no DN escaping; an empty password is refused before any bind (LDAP would treat it as
 * an anonymous bind and succeed).
 */
import { type Role, userNameSchema } from '@farmhand/contracts';
import { Client, EqualityFilter, OrFilter } from 'ldapts';

export interface LdapConfig {
  url: string;
  userDn: string;
  groupBase: string;
}

export interface LdapUser {
  dn: string;
  displayName: string;
  email: string | null;
  groups: string[];
}

/** The user's entry and groups when the bind succeeds; null for a wrong name or password. Other failures throw. */
export async function ldapAuthenticate(config: LdapConfig, name: string, password: string): Promise<LdapUser | null> {
  if (!userNameSchema.safeParse(name).success || password.length === 0) return null;
  const dn = config.userDn.replaceAll('{user}', name);
  const client = new Client({ url: config.url, timeout: 5_000, connectTimeout: 5_000 });
  try {
    try {
      await client.bind(dn, password);
    } catch (e) {
      if (e instanceof Error && /InvalidCredentials|NoSuchObject|code 49|code 32/i.test(`${e.name} ${e.message}`)) return null;
      throw e;
    }
    const self = await client.search(dn, { scope: 'base', attributes: ['cn', 'displayName', 'mail'] }).catch(() => null);
    const entry = self?.searchEntries[0];
    const text = (v: unknown): string | null => (Array.isArray(v) ? (v[0] ?? null) : typeof v === 'string' ? v : null) as string | null;
    const groups = await client.search(config.groupBase, {
      scope: 'sub',
      filter: new OrFilter({
        filters: [
          new EqualityFilter({ attribute: 'member', value: dn }),
          new EqualityFilter({ attribute: 'uniqueMember', value: dn }),
          new EqualityFilter({ attribute: 'memberUid', value: name }),
        ],
      }),
      attributes: ['cn'],
    });
    return {
      dn,
      displayName: text(entry?.displayName) ?? text(entry?.cn) ?? name,
      email: text(entry?.mail),
      groups: groups.searchEntries.map((g) => text(g.cn)).filter((cn): cn is string => cn !== null),
    };
  } finally {
    await client.unbind().catch(() => undefined);
  }
}

export interface LdapRights {
  admin: boolean;
  /** showName null: every show. */
  grants: { role: Role; showName: string | null }[];
}

const ROLE_WORDS: Record<string, Role> = { artist: 'ARTIST', wrangler: 'WRANGLER', production: 'PRODUCTION' };

export function groupsToRights(groups: string[]): LdapRights {
  const rights: LdapRights = { admin: false, grants: [] };
  for (const cn of groups) {
    const m = /^farmhand-(admin|artist|wrangler|production)s?(?:-(.+))?$/i.exec(cn);
    if (!m?.[1]) continue;
    const word = m[1].toLowerCase();
    if (word === 'admin') rights.admin = true;
    else rights.grants.push({ role: ROLE_WORDS[word] as Role, showName: m[2] ?? null });
  }
  return rights;
}
