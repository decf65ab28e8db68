'use client';
/**
 * Runs one command per selected thing (lock 12 hosts, retry 5 jobs), one after another so the
 * dispatcher's inbox keeps their order, and sums up what happened: how many were applied,
 * queued or refused, with the first refusal's reason.
 */
import { useCallback, useState } from 'react';
import type { Notice } from '../components/CommandNotice';

export interface BulkItem {
  /** The name a person recognises: the job or host name. */
  label: string;
  run: () => Promise<{ queued: boolean }>;
}

export function useBulk() {
  const [notice, setNotice] = useState<Notice | null>(null);
  const [busy, setBusy] = useState(false);
  const run = useCallback(async (what: string, items: BulkItem[]) => {
    setBusy(true);
    let applied = 0;
    let queued = 0;
    const refused: string[] = [];
    for (const item of items) {
      try {
        const answer = await item.run();
        if (answer.queued) queued++;
        else applied++;
      } catch (e) {
        refused.push(`${item.label}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    setBusy(false);
    const parts = [`${what}: ${applied} applied`];
    if (queued) parts.push(`${queued} queued (dispatcher unreachable)`);
    if (refused.length) parts.push(`${refused.length} refused — ${refused[0]}`);
    setNotice({ kind: refused.length ? 'error' : queued ? 'queued' : 'ok', text: parts.join(' · ') });
  }, []);
  return { notice, busy, run };
}

/** Calls `fn` at most once per `ms`, the last call of a burst always landing: refresh on events without flooding. */
export function throttle(fn: () => void, ms: number): () => void {
  let last = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  return () => {
    const wait = last + ms - Date.now();
    if (wait <= 0) {
      last = Date.now();
      fn();
    } else if (!timer) {
      timer = setTimeout(() => {
        timer = null;
        last = Date.now();
        fn();
      }, wait);
    }
  };
}
