/**
 * On the embedded SQLite database only one dispatcher may run: a second one would double-book.
 * A lock file beside the database file, holding the active dispatcher's pid, says who owns it —
 * whatever data directory each dispatcher was given.
 */
import fs from 'node:fs';
import path from 'node:path';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the lock of this SQLite file or throws a message a person can act on. Returns the release function. */
export function takeDispatcherLock(databaseFile: string): () => void {
  const dataDir = path.dirname(databaseFile);
  fs.mkdirSync(dataDir, { recursive: true });
  const file = `${databaseFile}.dispatcher.pid`;
  for (let tries = 0; tries < 2; tries++) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: 'wx' });
      return () => {
        try {
          if (fs.readFileSync(file, 'utf8') === String(process.pid)) fs.unlinkSync(file);
        } catch {
          // already gone
        }
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const pid = Number(fs.readFileSync(file, 'utf8'));
      if (pid && pid !== process.pid && alive(pid))
        throw new Error(
          `another dispatcher (pid ${pid}) is already running on the SQLite database ${databaseFile}; ` +
            'the embedded database allows one dispatcher. Stop it first, or use PostgreSQL for a standby dispatcher.',
        );
      fs.unlinkSync(file); // left behind by a dispatcher that died
    }
  }
  throw new Error(`could not take the dispatcher lock ${file}`);
}
