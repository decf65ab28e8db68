'use client';
/**
 * A show's settings: the error patterns "jump to first error" looks for in its frames' logs
 * (one regex per line; an empty list goes back to the defaults). Refused patterns are named
 * with the reason, and nothing is stored.
 */
import { DEFAULT_ERROR_PATTERNS } from '@farmhand/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useEffect, useState } from 'react';
import { useTRPC } from '../../client/trpc';

export function ShowSettingsPage({ show }: { show: string }) {
  const trpc = useTRPC();
  const client = useQueryClient();
  const current = useQuery(trpc.logRules.errorPatterns.queryOptions({ show }));
  const [text, setText] = useState<string | null>(null);
  const save = useMutation(
    trpc.logRules.setErrorPatterns.mutationOptions({
      onSuccess: (data) => {
        client.setQueryData(trpc.logRules.errorPatterns.queryKey({ show }), data);
        setText(null);
      },
    }),
  );
  useEffect(() => {
    if (save.isSuccess) setText(null);
  }, [save.isSuccess]);

  const value = text ?? current.data?.patterns.join('\n') ?? '';
  const patterns = value
    .split('\n')
    .map((p) => p.trim())
    .filter(Boolean);
  return (
    <section className="panel" style={{ padding: 12, maxWidth: 760, display: 'flex', flexDirection: 'column', gap: 8 }}>
      <div className="toolbar">
        <Link href="/" className="muted">
          Jobs
        </Link>
        <span className="muted">/</span>
        <h1>Show {show}</h1>
      </div>
      <h2 style={{ fontSize: 15, margin: 0 }}>Error patterns</h2>
      <p className="muted" style={{ margin: 0 }}>
        What “jump to first error” looks for in the logs of this show’s frames: one regular expression per line, matched without case. Leave
        it empty to use the defaults ({DEFAULT_ERROR_PATTERNS.join(', ')}).
      </p>
      {current.error && <div className="notice error">{current.error.message}</div>}
      <textarea
        data-testid="error-patterns"
        aria-label="Error patterns, one per line"
        rows={8}
        value={value}
        onChange={(e) => setText(e.target.value)}
        style={{ fontFamily: 'ui-monospace, monospace' }}
      />
      <div className="toolbar">
        <button type="button" data-testid="error-patterns-save" disabled={save.isPending} onClick={() => save.mutate({ show, patterns })}>
          Save
        </button>
        <button type="button" onClick={() => save.mutate({ show, patterns: [] })} disabled={save.isPending}>
          Back to the defaults
        </button>
        {current.data && (
          <span className="muted" data-testid="error-patterns-state">
            {current.data.isDefault ? 'the defaults apply' : `${current.data.patterns.length} patterns of this show`}
          </span>
        )}
      </div>
      {save.error && (
        <div className="notice error" data-testid="error-patterns-error">
          {save.error.message}
        </div>
      )}
    </section>
  );
}
