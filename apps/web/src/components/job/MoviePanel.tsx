'use client';
/**
 * The job page's Movie panel: the frame movie of each layer that has previews (packages/ui
 * MoviePlayer), read again as the job's frames change and every few seconds while it renders.
 * A placeholder opens that frame's log.
 */
import { MoviePlayer } from '@farmhand/ui';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTRPC } from '../../client/trpc';

export interface MoviePanelProps {
  jobId: string;
  /** Changes when the job's frames do: the movie is read again. */
  version: string;
  onOpenFrame: (frameId: number) => void;
  /** The flagged frames (`layerId:number:status`, sorted, joined) whenever they change: the frames grid can catch up. */
  onFlags?: (flags: string) => void;
}

export function MoviePanel({ jobId, version, onOpenFrame, onFlags }: MoviePanelProps) {
  const trpc = useTRPC();
  const movie = useQuery({ ...trpc.media.movie.queryOptions({ jobId }), refetchInterval: 3000 });
  const { refetch } = movie;
  const [picked, setPicked] = useState<string | null>(null);
  useEffect(() => {
    if (version) void refetch();
  }, [version, refetch]);

  const layers = movie.data ?? [];
  const flags = layers
    .flatMap((l) =>
      l.frames.filter((f) => f.status !== 'READY' && f.status !== 'PENDING').map((f) => `${l.layerId}:${f.number}:${f.status}`),
    )
    .sort()
    .join(',');
  useEffect(() => {
    if (movie.data) onFlags?.(flags);
  }, [flags, movie.data, onFlags]);
  const layer = layers.find((l) => l.layerId === picked) ?? layers[0];
  return (
    <section
      className="panel"
      data-testid="movie-panel"
      aria-label="Movie"
      style={{ padding: 8, display: 'flex', flexDirection: 'column', gap: 6 }}
    >
      <div className="toolbar">
        <strong>Movie</strong>
        {layers.length > 1 && (
          <select aria-label="Layer" value={layer?.layerId} onChange={(e) => setPicked(e.target.value)}>
            {layers.map((l) => (
              <option key={l.layerId} value={l.layerId}>
                {l.layerName}
              </option>
            ))}
          </select>
        )}
        {layer && <span className="muted">{layer.layerName}</span>}
      </div>
      {movie.error ? (
        <div className="notice error">{movie.error.message}</div>
      ) : !movie.data ? (
        <div className="muted">Loading the movie…</div>
      ) : !layer ? (
        <div className="muted" data-testid="movie-none">
          No layer of this job says where it writes images: give a render layer an output path (e.g. renders/sh010/beauty.####.png) to get a
          movie.
        </div>
      ) : (
        <MoviePlayer
          key={layer.layerId}
          frames={layer.frames}
          fps={layer.fps}
          playlist={layer.playlist}
          title={layer.layerName}
          onOpenFrame={(f) => onOpenFrame(f.frameId)}
        />
      )}
    </section>
  );
}
