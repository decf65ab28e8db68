/** The layers of a job: command, range, chunk, needs, and progress by frame state. */
import type { FrameCounts } from '@farmhand/contracts';
import { FrameProgressBar, totalFrames } from '@farmhand/ui';
import { formatMb } from '../../client/format';
import type { LayerRow } from '../../server/services/jobs';

export function LayersTable({ layers, counts }: { layers: LayerRow[]; counts: (layerId: string) => FrameCounts }) {
  return (
    <table data-testid="layers" style={{ width: '100%', borderCollapse: 'collapse', fontSize: 12 }}>
      <thead>
        <tr className="muted" style={{ textAlign: 'left' }}>
          <th style={{ width: 120 }}>layer</th>
          <th>command</th>
          <th style={{ width: 110 }}>range</th>
          <th style={{ width: 50 }}>chunk</th>
          <th style={{ width: 50 }}>cores</th>
          <th style={{ width: 70 }}>memory</th>
          <th style={{ width: 220 }}>progress</th>
          <th style={{ width: 70 }}>done</th>
        </tr>
      </thead>
      <tbody>
        {layers.map((l) => {
          const c = counts(l.id);
          return (
            <tr key={l.id} data-testid={`layer-${l.name}`}>
              <td>
                <strong>{l.name}</strong> <span className="muted">{l.type !== 'RENDER' ? l.type : ''}</span>
              </td>
              <td
                className="mono"
                style={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap', maxWidth: 0 }}
                title={l.command}
              >
                {l.command}
              </td>
              <td className="mono">{l.range}</td>
              <td>{l.chunk}</td>
              <td>{l.minCores}</td>
              <td>{formatMb(l.memoryMb)}</td>
              <td>
                <FrameProgressBar counts={c} height={10} />
              </td>
              <td>
                {c.SUCCEEDED + c.EATEN} / {totalFrames(c)}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
