'use client';
/**
 * The user's log alert rules: a regex (e.g. `license .* not available`), optionally for one
 * show; when a line of the user's jobs matches, a notification (in the bell) links to the
 * frame's log at that line. At most one per rule per frame attempt, and a few a minute in all.
 */
import { ALERT_MAX_PER_WINDOW } from '@farmhand/contracts';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '../../client/trpc';

export function AlertRulesPage() {
  const trpc = useTRPC();
  const rules = useQuery(trpc.logRules.alertRules.queryOptions());
  const shows = useQuery(trpc.shows.list.queryOptions());
  const [pattern, setPattern] = useState('');
  const [show, setShow] = useState('');
  const add = useMutation(
    trpc.logRules.addAlertRule.mutationOptions({
      onSuccess: () => {
        setPattern('');
        void rules.refetch();
      },
    }),
  );
  const remove = useMutation(trpc.logRules.removeAlertRule.mutationOptions({ onSuccess: () => void rules.refetch() }));
  return (
    <section className="panel" style={{ padding: 12, maxWidth: 760, display: 'flex', flexDirection: 'column', gap: 8 }}>
      <h1>Log alerts</h1>
      <p className="muted" style={{ margin: 0 }}>
        You are notified when a line printed by one of your jobs matches a rule (a regular expression, without case) — once per rule per
        frame attempt, at most {ALERT_MAX_PER_WINDOW} a minute.
      </p>
      <form
        className="toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          add.mutate({ pattern, ...(show ? { show } : {}) });
        }}
      >
        <input
          data-testid="alert-pattern"
          aria-label="Pattern"
          placeholder="license .* not available"
          value={pattern}
          onChange={(e) => setPattern(e.target.value)}
          style={{ flex: 1, fontFamily: 'ui-monospace, monospace' }}
        />
        <select aria-label="Show" value={show} onChange={(e) => setShow(e.target.value)}>
          <option value="">every show</option>
          {(shows.data ?? []).map((s) => (
            <option key={s.id} value={s.name}>
              {s.name}
            </option>
          ))}
        </select>
        <button type="submit" data-testid="alert-add" disabled={add.isPending}>
          Add
        </button>
      </form>
      {add.error && (
        <div className="notice error" data-testid="alert-error">
          {add.error.message}
        </div>
      )}
      <table data-testid="alert-rules" style={{ borderCollapse: 'collapse' }}>
        <tbody>
          {(rules.data ?? []).map((r) => (
            <tr key={r.id}>
              <td style={{ fontFamily: 'ui-monospace, monospace' }}>/{r.pattern}/</td>
              <td className="muted">{r.show ?? 'every show'}</td>
              <td>
                <button type="button" onClick={() => remove.mutate({ id: r.id })} aria-label={`Remove the rule ${r.pattern}`}>
                  Remove
                </button>
              </td>
            </tr>
          ))}
          {rules.data?.length === 0 && (
            <tr>
              <td className="muted">No rules yet.</td>
            </tr>
          )}
        </tbody>
      </table>
    </section>
  );
}
