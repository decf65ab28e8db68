'use client';
/**
 * Cores in use per show against its subscription in each allocation: a bar filled to the cores
 * in use, a tick at the size (guaranteed) and the bar's end at the burst (the most it may take).
 */
import type { AllocationUsage, SubscriptionUsage } from '../../server/services/subscriptions';

function UsageBar({ sub }: { sub: SubscriptionUsage }) {
  const max = Math.max(sub.burst, sub.coresInUse, 1);
  const pct = (n: number) => `${Math.min(100, (100 * n) / max)}%`;
  const over = sub.coresInUse > sub.size;
  const atBurst = sub.coresInUse >= sub.burst;
  return (
    <div
      data-testid="subscription-bar"
      title={`${sub.coresInUse} cores in use · size ${sub.size} · burst ${sub.burst}`}
      style={{ position: 'relative', height: 12, background: 'var(--panel-2)', borderRadius: 2 }}
    >
      <div
        style={{
          width: pct(sub.coresInUse),
          height: '100%',
          borderRadius: 2,
          background: atBurst ? 'var(--danger)' : over ? 'var(--warn)' : 'var(--ok)',
        }}
      />
      <div style={{ position: 'absolute', left: pct(sub.size), top: -2, bottom: -2, width: 2, background: 'var(--text)' }} />
    </div>
  );
}

export function SubscriptionsPanel({ allocations }: { allocations: AllocationUsage[] }) {
  if (allocations.length === 0) return <div className="muted">No allocations yet.</div>;
  return (
    <table className="dense" data-testid="subscriptions">
      <thead>
        <tr>
          <th style={{ width: 150 }}>allocation / show</th>
          <th>cores in use (| size, end = burst)</th>
          <th style={{ width: 70 }}>in use</th>
          <th style={{ width: 60 }}>size</th>
          <th style={{ width: 60 }}>burst</th>
        </tr>
      </thead>
      <tbody>
        {allocations.flatMap((a) => [
          <tr key={a.id} data-testid={`allocation-${a.name}`}>
            <td colSpan={2}>
              <strong>{a.name}</strong>{' '}
              <span className="muted">
                tag {a.tag} · {a.hostsUp}/{a.hosts} hosts up
              </span>
            </td>
            <td>{a.coresInUse}</td>
            <td colSpan={2} className="muted">
              of {a.cores} cores
            </td>
          </tr>,
          ...a.subscriptions.map((s) => (
            <tr key={s.id} data-testid={`subscription-${a.name}-${s.show}`}>
              <td style={{ paddingLeft: 18 }}>{s.show}</td>
              <td>
                <UsageBar sub={s} />
              </td>
              <td>{s.coresInUse}</td>
              <td>{s.size}</td>
              <td>{s.burst}</td>
            </tr>
          )),
          ...(a.subscriptions.length === 0
            ? [
                <tr key={`${a.id}-none`}>
                  <td colSpan={5} className="muted" style={{ paddingLeft: 18 }}>
                    no show subscribes to this allocation
                  </td>
                </tr>,
              ]
            : []),
        ])}
      </tbody>
    </table>
  );
}
