import { describe, expect, it } from 'vitest';
import { type Action, type Actor, can, type Grant, readableShows, type Target, type TokenScope } from '../src/access';

const actor = (name: string, grants: Grant[] = [], extra: Partial<Actor> = {}): Actor => ({
  name,
  admin: false,
  grants,
  via: 'session',
  scopes: null,
  ...extra,
});

const artist = actor('ana', [{ role: 'ARTIST', showId: 'show-a' }]);
const loneArtist = actor('lou');
const showWrangler = actor('sam', [{ role: 'WRANGLER', showId: 'show-a' }]);
const wrangler = actor('wes', [{ role: 'WRANGLER', showId: null }]);
const production = actor('pat', [{ role: 'PRODUCTION', showId: 'show-a' }]);
const admin = actor('root', [], { admin: true });

const anasJobInA: Target = { showId: 'show-a', owner: 'ana' };
const bobsJobInA: Target = { showId: 'show-a', owner: 'bob' };
const bobsJobInB: Target = { showId: 'show-b', owner: 'bob' };
const lousJobInB: Target = { showId: 'show-b', owner: 'lou' };

type Row = [string, Actor | null, Action, Target, boolean];
const rows: Row[] = [
  ['nobody signed in may sign in', null, 'public', {}, true],
  ['nobody signed in reads no job', null, 'job.read', bobsJobInA, false],
  ['nobody signed in reads nothing of the farm', null, 'farm.read', {}, false],
  ['an artist reads the jobs of a show they are granted', artist, 'job.read', bobsJobInA, true],
  ['an artist does not read the jobs of a show they are not granted', artist, 'job.read', bobsJobInB, false],
  ['an artist without grants reads their own job', loneArtist, 'job.read', lousJobInB, true],
  ['an artist without grants acts on their own job', loneArtist, 'job.act', lousJobInB, true],
  ['an artist without grants cannot submit anywhere', loneArtist, 'job.submit', lousJobInB, false],
  ['an artist submits as themself to a granted show', artist, 'job.submit', anasJobInA, true],
  ['an artist cannot submit as somebody else', artist, 'job.submit', bobsJobInA, false],
  ['an artist cannot submit to a show they are not granted', artist, 'job.submit', { showId: 'show-b', owner: 'ana' }, false],
  ["an artist acts on a granted show's jobs", artist, 'job.act', bobsJobInA, true],
  ["an artist cannot kill another show's job", artist, 'job.act', bobsJobInB, false],
  ['an artist cannot lock hosts', artist, 'farm.act', {}, false],
  ['an artist reads the farm (hosts, allocations)', artist, 'farm.read', {}, true],
  ['an artist cannot read the audit trail', artist, 'audit.read', {}, false],
  ['a facility wrangler acts on any job', wrangler, 'job.act', bobsJobInB, true],
  ['a facility wrangler submits as somebody else', wrangler, 'job.submit', bobsJobInB, true],
  ['a facility wrangler locks hosts and edits limits', wrangler, 'farm.act', {}, true],
  ['a facility wrangler reads the audit trail', wrangler, 'audit.read', {}, true],
  ['a facility wrangler does not manage users', wrangler, 'users.admin', {}, false],
  ["a show's wrangler acts on that show's jobs", showWrangler, 'job.act', bobsJobInA, true],
  ["a show's wrangler cannot touch another show", showWrangler, 'job.act', bobsJobInB, false],
  ["a show's wrangler cannot change the farm's shared parts", showWrangler, 'farm.act', { showId: 'show-a' }, false],
  ['production reads their show', production, 'job.read', bobsJobInA, true],
  ['production changes priority within their show', production, 'job.priority', bobsJobInA, true],
  ['production cannot change priority in another show', production, 'job.priority', bobsJobInB, false],
  ['production cannot kill', production, 'job.act', bobsJobInA, false],
  ['production cannot submit', production, 'job.submit', { showId: 'show-a', owner: 'pat' }, false],
  ['production does not read another show', production, 'job.read', bobsJobInB, false],
  ['an admin manages users', admin, 'users.admin', {}, true],
  ['an admin acts on anything', admin, 'job.act', bobsJobInB, true],
  ['everyone signed in manages their own account', loneArtist, 'account', {}, true],
];

describe('can(actor, action, target)', () => {
  it.each(rows)('%s', (_name, who, action, target, allowed) => {
    expect(can(who, action, target)).toBe(allowed);
  });
});

describe('API token scopes narrow what the user may do', () => {
  const token = (who: Actor, scopes: TokenScope[]): Actor => ({ ...who, via: 'token', scopes });
  const cases: [string, Actor, Action, Target, boolean][] = [
    ['a read token reads', token(wrangler, ['read']), 'job.read', bobsJobInB, true],
    ['a read token cannot kill', token(wrangler, ['read']), 'job.act', bobsJobInB, false],
    ['a submit token submits', token(artist, ['submit']), 'job.submit', anasJobInA, true],
    ['a submit token cannot retry', token(artist, ['submit']), 'job.act', anasJobInA, false],
    ["an act token still cannot exceed its user's rights", token(artist, ['act']), 'job.act', bobsJobInB, false],
    ["an admin's token never manages users", token(admin, ['read', 'submit', 'act']), 'users.admin', {}, false],
    ['no token manages tokens', token(admin, ['read', 'submit', 'act']), 'account', {}, false],
  ];
  it.each(cases)('%s', (_name, who, action, target, allowed) => {
    expect(can(who, action, target)).toBe(allowed);
  });
});

describe('readableShows', () => {
  it('is every show for admins and facility-wide grants, the granted shows otherwise', () => {
    expect(readableShows(admin)).toBe('all');
    expect(readableShows(wrangler)).toBe('all');
    expect(readableShows(production)).toEqual(['show-a']);
    expect(readableShows(loneArtist)).toEqual([]);
    expect(readableShows({ ...wrangler, via: 'token', scopes: ['submit'] })).toEqual([]);
  });
});
